using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;

namespace PenguinMails.Contacts;

/// <summary>
/// Reads contacts from CSV as the body arrives. Header row required: <c>email</c>, optional <c>first_name</c>,
/// <c>last_name</c>, <c>status</c>, <c>tags</c> (separated by ; or |); <c>id</c>, <c>created_at</c>, <c>updated_at</c>
/// (written by the export) are ignored; any other column is a string attribute (<c>attributes.KEY</c> names one
/// explicitly). An empty cell leaves the stored value as it is. A column name holding the NUL character is refused
/// with the file (PostgreSQL stores no NUL in text; JSON imports refuse it in a key too); a cell holding one fails its
/// row through the upsert rules (<see cref="ContactRules"/>). A quoted field never closed would run to the end of
/// the file (RFC 4180 lets a quoted field span lines), swallowing every row after it: it stops the import instead,
/// naming the line where the quote opened.
/// </summary>
internal static class CsvContactReader
{
    public static readonly string[] Known = ["email", "first_name", "last_name", "status", "tags"];
    public static readonly string[] Ignored = ["id", "created_at", "updated_at"];
    public const string AttributePrefix = "attributes.";
    private const int MaxRecordBytes = 1024 * 1024;

    public static async IAsyncEnumerable<ImportRow> ReadAsync(ImportTextStream body, [EnumeratorCancellation] CancellationToken ct)
    {
        var malformed = 0L;
        CsvMalformedRecord? unterminated = null;
        var options = CsvReaderOptions.Default with
        {
            Separator = CsvSeparator.Detect(await body.PeekFirstLineAsync(MaxRecordBytes, ct)),
            MaxRecordSize = MaxRecordBytes, TrackLineNumbers = true,
            OnMalformedRecord = record =>
            {
                malformed = record.RecordNumber;
                unterminated ??= record.Reason == CsvMalformedReason.UnterminatedQuote ? record : null;
            },
        };
        await using var csv = CsvReader.Create(body, options, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        Unterminated(unterminated);
        var header = csv.Headers.Select(h => h.Trim()).ToArray();
        var columns = Columns(header, csv.Separator);
        while (await csv.ReadAsync(ct))
        {
            Unterminated(unterminated);
            var row = (int)csv.RowNumber;
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }

            var email = Cell(fields, columns.Email);
            if (malformed == row + 1 || fields.Length != header.Length)
            {
                yield return ImportRow.Invalid(row, email, malformed == row + 1
                    ? "The row is not valid CSV (a stray quote or text after a closing quote)."
                    : $"The row has {fields.Length} fields, the header has {header.Length}.");
                continue;
            }

            yield return ImportRow.Checked(row, new UpsertContactRequest
            {
                Email = email,
                FirstName = Cell(fields, columns.FirstName),
                LastName = Cell(fields, columns.LastName),
                // A cell from another tool's export ("Subscribed"): read in any case, where a JSON body takes the API's word.
                Status = Cell(fields, columns.Status)?.ToLowerInvariant(),
                Tags = Cell(fields, columns.Tags)?.Split(ContactRules.TagSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
                Attributes = columns.Attributes.Where(a => Cell(fields, a.Index) is not null)
                    .ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(fields[a.Index])),
            });
        }
    }

    /// <summary>Stops the import at a quoted field never closed, naming the line of its opening quote.</summary>
    private static void Unterminated(CsvMalformedRecord? record)
    {
        if (record is not { } found)
        {
            return;
        }

        var raw = found.RawRecord;
        var (quoted, opened) = (false, 0);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '"')
            {
                (quoted, opened) = (!quoted, quoted ? opened : i);
            }
        }

        var line = found.LineNumber + raw.AsSpan(0, opened).Count('\n');
        throw new ImportFileException($"Line {line} opens a quoted field that is never closed, so the rows after it cannot be read; "
            + "close the quote (a quote inside a field is written twice: \"\").");
    }

    private static string? Cell(string[] fields, int index) =>
        index >= 0 && index < fields.Length && fields[index].Length > 0 ? fields[index] : null;

    private static CsvColumns Columns(string[] header, char separator)
    {
        if (header.Select((h, i) => (Name: h, Number: i + 1)).FirstOrDefault(c => c.Name.Contains('\0', StringComparison.Ordinal)) is { Name: not null } nul)
        {
            throw new ImportFileException($"Column {nul.Number} of the header row ('{Shown(nul.Name)}') holds the NUL character (shown as \\0), "
                + "which no column name may hold: remove it and import again.");
        }

        var names = header.Select(h => h.ToLowerInvariant()).ToArray();
        var duplicate = header.Select((h, i) => Known.Contains(names[i]) ? names[i] : h).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ImportFileException($"The header names the column '{duplicate.Key}' twice.");
        }

        if (header.Length == 0)
        {
            throw new ImportFileException("The file is empty: a header row with an 'email' column is required.");
        }

        if (!names.Contains("email"))
        {
            throw new ImportFileException($"The header row has no 'email' column; found {(header.Length == 1 ? "one column" : "columns")}: "
                + string.Join(", ", header.Take(20).Select(h => $"'{h}'")) + $" (separated by {CsvSeparator.Name(separator)}).");
        }

        var attributes = header.Select((h, i) => (Key: h.StartsWith(AttributePrefix, StringComparison.OrdinalIgnoreCase) ? h[AttributePrefix.Length..] : h, Index: i))
            .Where(c => !Known.Contains(names[c.Index]) && !Ignored.Contains(names[c.Index]))
            .ToList();
        // "plan" and "attributes.plan" name one attribute: a row cannot give it twice.
        if (attributes.GroupBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ImportFileException($"The header names the attribute '{Shown(twice.Key)}' twice: "
                + string.Join(" and ", twice.Select(a => $"'{Shown(header[a.Index])}'")) + ".");
        }

        return new CsvColumns(Array.IndexOf(names, "email"), Array.IndexOf(names, "first_name"), Array.IndexOf(names, "last_name"),
            Array.IndexOf(names, "status"), Array.IndexOf(names, "tags"), attributes);
    }

    /// <summary>A column name as a message can show it: NUL written as <c>\0</c>, cut to 40 characters.</summary>
    private static string Shown(string name) => Data.TextClip.Shortened(name.Replace("\0", "\\0", StringComparison.Ordinal), 40);

    private sealed record CsvColumns(int Email, int FirstName, int LastName, int Status, int Tags, List<(string Key, int Index)> Attributes);
}
