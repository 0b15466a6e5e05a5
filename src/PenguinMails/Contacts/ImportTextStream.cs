using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PenguinMails.Contacts;

/// <summary>
/// The body of an import as strict UTF-8, whatever the file's encoding: UTF-8 by default, or the <c>charset</c> the
/// request names (windows-1252, iso-8859-1, utf-16, ...), transcoded. A byte order mark at the start is dropped.
/// Bytes that are not text in that encoding are never replaced by U+FFFD (that would change the data silently):
/// the stream hands out every whole line before them and then ends, with <see cref="Failure"/> naming the 1-based
/// line they are on. Ending rather than throwing lets the readers hand out every row before that line first.
/// </summary>
internal sealed class ImportTextStream : Stream
{
    private const int ChunkBytes = 64 * 1024;
    private readonly Stream _inner;
    private readonly Encoding _encoding;
    private readonly Decoder? _decoder;
    private readonly byte[] _input = new byte[ChunkBytes + 4];
    private int _carried;
    private byte[] _output = new byte[4 * ChunkBytes];
    private int _outStart, _outEnd;
    private long _lines;
    private bool _started, _ended;
    private InvalidImportTextException? _pending;

    static ImportTextStream() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private ImportTextStream(Stream inner, Encoding encoding)
    {
        _inner = inner;
        _encoding = encoding;
        _decoder = encoding is UTF8Encoding ? null : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetDecoder();
    }

    /// <summary>The encoding a Content-Type <c>charset</c> names (UTF-8 when absent); null when it names none known here.</summary>
    public static Encoding? EncodingFor(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.UTF8;
        }

        try
        {
            var encoding = Encoding.GetEncoding(charset.Trim().Trim('"'));
            return encoding.CodePage == Encoding.UTF8.CodePage ? Encoding.UTF8 : encoding;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public static ImportTextStream Open(Stream body, Encoding encoding) => new(body, encoding);

    /// <summary>Set when the text ended early at bytes that are not text in the file's encoding.</summary>
    public InvalidImportTextException? Failure => _pending;

    /// <summary>The first line of the text (without its line break), reading no further than it and <paramref name="maxBytes"/>.</summary>
    public async Task<string> PeekFirstLineAsync(int maxBytes, CancellationToken ct)
    {
        while (_outEnd - _outStart < maxBytes && Array.IndexOf(_output, (byte)'\n', _outStart, _outEnd - _outStart) < 0
            && !_ended && _pending is null)
        {
            await FillAsync(ct);
        }

        var length = _outEnd - _outStart;
        var newline = Array.IndexOf(_output, (byte)'\n', _outStart, length);
        return Encoding.UTF8.GetString(_output, _outStart, newline < 0 ? Math.Min(length, maxBytes) : newline - _outStart).TrimEnd('\r');
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        while (_outStart == _outEnd)
        {
            if (_ended || _pending is not null)
            {
                return 0;
            }

            await FillAsync(ct);
        }

        var count = Math.Min(buffer.Length, _outEnd - _outStart);
        _output.AsMemory(_outStart, count).CopyTo(buffer);
        _outStart += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>Reads one chunk of the body and appends its text, as UTF-8, to the output.</summary>
    private async Task FillAsync(CancellationToken ct)
    {
        var read = await _inner.ReadAsync(_input.AsMemory(_carried, ChunkBytes), ct);
        _ended = read == 0;
        var bytes = _input.AsSpan(0, _carried + read);
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length + 2);
        try
        {
            var (written, consumed, invalid) = Decode(bytes, chars);
            _carried = bytes.Length - consumed;
            bytes[consumed..].CopyTo(_input);
            var text = chars.AsSpan(0, written);
            if (!_started && text.Length > 0)
            {
                _started = true;
                text = text[0] == '\uFEFF' ? text[1..] : text;
            }

            if (invalid)
            {
                var line = _lines + text.Count('\n') + 1;
                text = text[..(text.LastIndexOf('\n') + 1)];
                _pending = new InvalidImportTextException(line, _encoding.WebName);
            }

            _lines += text.Count('\n');
            Append(text);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Decodes the bytes up to the first invalid sequence; an incomplete sequence at the end is carried over.</summary>
    private (int Written, int Consumed, bool Invalid) Decode(ReadOnlySpan<byte> bytes, char[] chars)
    {
        if (_decoder is null)
        {
            var status = Utf8.ToUtf16(bytes, chars, out var consumed, out var written, replaceInvalidSequences: false, isFinalBlock: _ended);
            return (written, consumed, status == System.Buffers.OperationStatus.InvalidData);
        }

        try
        {
            _decoder.Convert(bytes, chars, _ended, out var consumed, out var written, out _);
            return (written, consumed, false);
        }
        catch (DecoderFallbackException e)
        {
            // The decoder's own state is lost with the exception: decode the valid prefix again for its lines.
            var valid = Math.Clamp(e.Index, 0, bytes.Length);
            return (_encoding.GetChars(bytes[..valid], chars), bytes.Length, true);
        }
    }

    private void Append(ReadOnlySpan<char> text)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_outStart == _outEnd)
        {
            _outStart = _outEnd = 0;
        }

        if (_output.Length - _outEnd < needed)
        {
            var larger = new byte[Math.Max(_output.Length, _outEnd - _outStart + needed)];
            _output.AsSpan(_outStart, _outEnd - _outStart).CopyTo(larger);
            (_output, _outEnd, _outStart) = (larger, _outEnd - _outStart, 0);
        }

        _outEnd += Encoding.UTF8.GetBytes(text, _output.AsSpan(_outEnd));
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Bytes on <see cref="Line"/> are not text in the file's encoding; every line before it was read.</summary>
public sealed class InvalidImportTextException(long line, string encoding)
    : Exception($"Line {line} is not valid {encoding} text.")
{
    public long Line { get; } = line;
}
