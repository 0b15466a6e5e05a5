using System.Buffers.Text;
using System.Text.Json;

namespace PenguinMails.Http;

/// <summary>
/// An opaque keyset cursor: the sort value and id of the last row of a page, base64url-encoded.
/// Stable under inserts, unlike offsets.
/// </summary>
public sealed record Cursor(string? Value, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    public static bool TryDecode(string? text, out Cursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        try
        {
            cursor = JsonSerializer.Deserialize<Cursor>(Base64Url.DecodeFromChars(text));
            return cursor is not null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}

/// <summary>The query parameters every list shares.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The rule of every list's <c>limit</c>, as a client reads it in an error.</summary>
    public static readonly string LimitRule = $"limit must be a whole number from 1 to {MaxLimit}.";

    public static ApiError? Validate(int? limit, string? cursor, out Cursor? decoded)
    {
        var details = new List<ErrorDetail>();
        if (limit is < 1 or > MaxLimit)
        {
            details.Add(new ErrorDetail("limit", LimitRule));
        }

        if (!Cursor.TryDecode(cursor, out decoded))
        {
            details.Add(new ErrorDetail("cursor", "cursor is not one this API returned; start again without it."));
        }

        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }
}
