using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace PenguinMails.Contacts;

/// <summary>
/// Reads contacts from a JSON array (element by element, never the whole array) or from NDJSON (one object a
/// line), as strict UTF-8 from <see cref="ImportTextStream"/>. Each object has the fields of POST /contacts. A row
/// whose values are not text (unpaired surrogate escapes), hold numbers out of range or have the wrong types is that
/// row's error, as is a malformed NDJSON line; in an array malformed JSON (or nesting deeper than 64) stops the
/// import, since nothing after it can be read.
/// </summary>
internal static class JsonContactReader
{
    public static async IAsyncEnumerable<ImportRow> ReadArrayAsync(Stream body, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var row = 0;
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, options, ct))
        {
            yield return FromElement(++row, element, options);
        }
    }

    public static async IAsyncEnumerable<ImportRow> ReadLinesAsync(Stream body, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        using var text = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        var line = 0;
        while (await text.ReadLineAsync(ct) is { } content)
        {
            line++;
            if (string.IsNullOrWhiteSpace(content))
            {
                continue;
            }

            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(content);
                element = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                element = default;
            }

            yield return element.ValueKind == JsonValueKind.Undefined
                ? ImportRow.Invalid(line, null, "The line is not valid JSON.")
                : FromElement(line, element, options);
        }
    }

    private static ImportRow FromElement(int row, JsonElement element, JsonSerializerOptions options)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return ImportRow.Invalid(row, null, "The row is not a JSON object.");
        }

        var email = element.TryGetProperty("email", out var e) && e.ValueKind == JsonValueKind.String ? Text(e) : null;
        try
        {
            var request = element.Deserialize<UpsertContactRequest>(options);
            return request is null ? ImportRow.Invalid(row, email, "The row is empty.") : ImportRow.Checked(row, request);
        }
        catch (JsonException ex)
        {
            var field = ex.Path?.TrimStart('$', '.') is { Length: > 0 } path ? path : "a field";
            return ImportRow.Invalid(row, email, ex.InnerException is InvalidOperationException
                ? $"{field} is not valid text (an unpaired surrogate escape)."
                : $"{field} has the wrong type.");
        }
    }

    /// <summary>The string, or null when its escapes are not text (an unpaired surrogate): the row's error says why.</summary>
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
