using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace PenguinMails.Contacts;

/// <summary>
/// The body of an import as strict UTF-8, whatever the file's encoding: UTF-8 by default, or the <c>charset</c> the
/// request names (windows-1252, iso-8859-1, utf-16, ...), transcoded. Where no charset is named (or <c>utf-16</c>,
/// whose byte order the mark gives, RFC 2781 §4.3), a UTF-8 or UTF-16 LE/BE byte order mark at the start names the
/// encoding (what Excel's "Unicode text" and Notepad write). A byte order mark at the start is dropped.
/// Bytes that are not text in that encoding are never replaced by U+FFFD (that would change the data silently):
/// the stream hands out every whole line before them and then ends, with <see cref="Failure"/> naming the 1-based
/// line they are on. Ending rather than throwing lets the readers hand out every row before that line first.
/// </summary>
internal sealed class ImportTextStream : Stream
{
    private const int ChunkBytes = 64 * 1024;
    private readonly Stream _inner;
    private Encoding _encoding;
    private Decoder? _decoder;
    private bool _bomDecides;
    private readonly byte[] _input = new byte[ChunkBytes + 4];
    private int _carried;
    private byte[] _output = new byte[4 * ChunkBytes];
    private int _outStart, _outEnd;
    private long _lines;
    private bool _started, _ended;
    private InvalidImportTextException? _pending;

    private ImportTextStream(Stream inner, Encoding encoding, bool bomDecides)
    {
        _inner = inner;
        (_encoding, _decoder) = (encoding, Decoding(encoding));
        _bomDecides = bomDecides;
    }

    /// <summary>
    /// The encoding a Content-Type <c>charset</c> names (UTF-8 when absent), failing on bytes that are not text in it;
    /// null when it names none this runtime reads (<see cref="Http.Charsets"/>).
    /// </summary>
    public static Encoding? EncodingFor(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return Encoding.UTF8;
        }

        var encoding = Http.Charsets.Find(charset);
        return encoding?.CodePage == Encoding.UTF8.CodePage ? Encoding.UTF8 : encoding;
    }

    /// <summary>Reads <paramref name="body"/> as <paramref name="charset"/> names it (see <see cref="EncodingFor"/>, which must know it).</summary>
    public static ImportTextStream Open(Stream body, string? charset) =>
        new(body, EncodingFor(charset)!, string.IsNullOrWhiteSpace(charset) || Http.Charsets.IsUnorderedUtf16(charset));

    private static Decoder? Decoding(Encoding encoding) => encoding is UTF8Encoding ? null : encoding.GetDecoder();

    /// <summary>The encoding a byte order mark at the start of <paramref name="bytes"/> names; null when there is none.</summary>
    private static Encoding? Marked(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0xEF, 0xBB, 0xBF, ..] => Encoding.UTF8,
        [0xFF, 0xFE, ..] => Encoding.GetEncoding(1200, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        [0xFE, 0xFF, ..] => Encoding.GetEncoding(1201, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
        _ => null,
    };

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
        if (_bomDecides)
        {
            if (bytes.Length < 3 && !_ended)
            {
                _carried = bytes.Length; // a mark may still be arriving
                return;
            }

            _bomDecides = false;
            if (Marked(bytes) is { } marked)
            {
                (_encoding, _decoder) = (marked, Decoding(marked));
            }
        }

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
