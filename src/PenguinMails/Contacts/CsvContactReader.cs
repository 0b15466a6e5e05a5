using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;

namespace PenguinMails.Contacts;

/// <summary>
/// Reads contacts from CSV as the body arrives. Header row required: <c>email</c>, optional <c>first_name</c>,
/// <c>last_name</c>, <c>status</c>, <c>tags</c> (separated by ; or |); <c>id</c>, <c>created_at</c>, <c>updated_at</c>
/// (written by the export) are ignored; any other column is a string attribute (<c>attributes.KEY</c> names one
/// explicitly). An empty cell leaves the stored value as it is.
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
        var options = CsvReaderOptions.Default with
        {
            Separator = CsvSeparator.Detect(await body.PeekFirstLineAsync(MaxRecordBytes, ct)),
            MaxRecordSize = MaxRecordBytes, OnMalformedRecord = record => malformed = record.RecordNumber,
        };
        await using var csv = CsvReader.Create(body, options, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        var header = csv.Headers.Select(h => h.Trim()).ToArray();
        var columns = Columns(header, csv.Separator);
        while (await csv.ReadAsync(ct))
        {
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
                Status = Cell(fields, columns.Status),
                Tags = Cell(fields, columns.Tags)?.Split([';', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
                Attributes = columns.Attributes.Where(a => Cell(fields, a.Index) is not null)
                    .ToDictionary(a => a.Key, a => JsonSerializer.SerializeToElement(fields[a.Index])),
            });
        }
    }

    private static string? Cell(string[] fields, int index) =>
        index >= 0 && index < fields.Length && fields[index].Length > 0 ? fields[index] : null;

    private static CsvColumns Columns(string[] header, char separator)
    {
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
        return new CsvColumns(Array.IndexOf(names, "email"), Array.IndexOf(names, "first_name"), Array.IndexOf(names, "last_name"),
            Array.IndexOf(names, "status"), Array.IndexOf(names, "tags"), attributes);
    }

    private sealed record CsvColumns(int Email, int FirstName, int LastName, int Status, int Tags, List<(string Key, int Index)> Attributes);
}
