using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace PenguinMails.Contacts;

/// <summary>
/// Reads contacts from a JSON array (element by element, never the whole array) or from NDJSON (one object a
/// line), as strict UTF-8 from <see cref="ImportTextStream"/>. Each object has the fields of POST /contacts. A row
/// with a field POST /contacts does not have (<see cref="Http.UnknownFields"/>), or whose values are not text
/// (unpaired surrogate escapes), hold numbers out of range or have the wrong types, is that row's error, as is a
/// malformed NDJSON line; in an array malformed JSON (or nesting deeper than 64) stops the
/// import, since nothing after it can be read.
/// </summary>
internal static class JsonContactReader
{
    public static async IAsyncEnumerable<ImportRow> ReadArrayAsync(Stream body, JsonSerializerOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var row = 0;
        // The array is read allowing duplicate names, so that one in a row is that row's error (below), not the import's end.
        await foreach (var element in JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(body, Http.DuplicateFields.Allowing(options), ct))
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

        // Every name and string is checked before any is read: a lookup by name (TryGetProperty, the deserializer)
        // unescapes the names it passes and throws on an unpaired surrogate in any of them.
        var email = Email(element);
        if (Http.NulCharacters.FirstInvalid(element, "") is { } path)
        {
            return ImportRow.Invalid(row, email, $"{path} is not valid text (an unpaired surrogate escape or a NUL character).");
        }

        try
        {
            var request = element.Deserialize<UpsertContactRequest>(options);
            return request is null ? ImportRow.Invalid(row, email, "The row is empty.") : ImportRow.Checked(row, request);
        }
        catch (JsonException ex) when (Http.UnknownFields.TryDescribe(ex, options, out var unknown) || Http.DuplicateFields.TryDescribe(ex, out unknown))
        {
            return ImportRow.Invalid(row, email, unknown.Message);
        }
        catch (JsonException ex)
        {
            var field = ex.Path?.TrimStart('$', '.') is { Length: > 0 } at ? at : "a field";
            return ImportRow.Invalid(row, email, Http.WrongJsonType.Is(ex) ? Http.WrongJsonType.Rule(ex, field) : $"{field} has the wrong type.");
        }
    }

    /// <summary>The row's email for its report, when it is text; null when it is absent, not a string or not text.</summary>
    private static string? Email(JsonElement row)
    {
        foreach (var property in row.EnumerateObject())
        {
            if (Text(() => property.Name) == "email" && property.Value.ValueKind == JsonValueKind.String)
            {
                return Text(property.Value.GetString);
            }
        }

        return null;
    }

    /// <summary>The string, or null when its escapes are not text (an unpaired surrogate): the row's error says why.</summary>
    private static string? Text(Func<string?> read)
    {
        try
        {
            return read();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
