using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PenguinMails.Http;

/// <summary>
/// An opaque keyset cursor: the sort value and id of the last row of a page, base64url-encoded, and for a list a
/// client may order several ways the order it was made in (<c>email:asc</c>): a cursor read in another order would
/// silently skip rows or end the list, so <see cref="Paging.Validate"/> refuses it. Stable under inserts, unlike offsets.
/// </summary>
public sealed record Cursor(string? Value, Guid Id, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Order = null)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this));

    /// <summary>The cursor of a list sorted by time: the last row's time as UTC <see cref="DateTime.Ticks"/> and its id.</summary>
    public static Cursor At(DateTime at, Guid id) => new(at.Ticks.ToString(CultureInfo.InvariantCulture), id);

    /// <summary>
    /// The time <see cref="At"/> put in this cursor, or null when its value is none: not digits, or ticks outside
    /// <see cref="DateTime"/>'s range (a cursor forged or from another list; building a time from them would throw).
    /// </summary>
    [JsonIgnore]
    public DateTime? Time => TimeOf(Value);

    /// <summary>UTC ticks written by <see cref="At"/> (or kept by a page, such as a secret's previous-until) as a time; null when not.</summary>
    public static DateTime? TimeOf(string? ticks) =>
        long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= DateTime.MaxValue.Ticks
            ? new DateTime(value, DateTimeKind.Utc)
            : null;

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
            return cursor is { Id: var id } && id != Guid.Empty; // no row has the empty id: a forged {} is not a cursor
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

    /// <summary>The words of every list's <c>order</c> parameter.</summary>
    public static readonly string[] Orders = ["asc", "desc"];
    public const int MaxLimit = 100;

    /// <summary>The rule of every list's <c>limit</c>, as a client reads it in an error.</summary>
    public static readonly string LimitRule = $"limit must be a whole number from 1 to {MaxLimit}.";

    /// <summary>
    /// Checks <c>limit</c> and <c>cursor</c>. For a list ordered as the request asks, <paramref name="order"/> is that
    /// order (<see cref="OrderKey"/>): a cursor made in another one is refused.
    /// </summary>
    public static ApiError? Validate(int? limit, string? cursor, out Cursor? decoded, string? order = null)
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
        else if (decoded?.Order is { } made && order is not null && made != order)
        {
            decoded = null;
            details.Add(new ErrorDetail("cursor", $"cursor was returned for another order of this list{Shown(made)}; "
                + "send the sort and order of the request that returned it, or start again without it."));
        }
        else if (decoded is { Value: not null, Time: null } && order?.Split(':')[0].EndsWith("_at", StringComparison.Ordinal) == true)
        {
            // A list sorted by a time keeps a time in its cursors (or none, past the rows without one): anything else was
            // never returned, and read as no time it silently gave an empty page.
            decoded = null;
            details.Add(new ErrorDetail("cursor", "cursor is not one this API returned; start again without it."));
        }

        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }

    /// <summary>The order a list is read in, as a cursor keeps it: <c>email:asc</c>, <c>created_at:desc</c>.</summary>
    public static string OrderKey(string sort, bool descending) => $"{sort}:{(descending ? "desc" : "asc")}";

    /// <summary>" (sort=email, order=asc)" for a well-formed order key; nothing for anything else (a forged cursor's text).</summary>
    private static string Shown(string order) =>
        order.Split(':') is [var sort, "asc" or "desc"] && sort.Length is > 0 and <= 40 && sort.All(c => char.IsAsciiLetterLower(c) || c == '_')
            ? $" (sort={sort}, order={order[(sort.Length + 1)..]})" : "";

    /// <summary>
    /// <see cref="Validate"/> for a list sorted by time (newest or oldest first): its cursor must also hold a time, as
    /// <see cref="Cursor.At"/> writes it. A cursor that decodes but holds none is refused like one that does not decode,
    /// rather than silently starting the list again.
    /// </summary>
    public static ApiError? ValidateByTime(int? limit, string? cursor, out Cursor? decoded)
    {
        var error = Validate(limit, cursor, out decoded);
        if (error is null && decoded is { Time: null })
        {
            decoded = null;
            return new ApiError(ErrorCodes.ValidationError, null, [new ErrorDetail("cursor", "cursor is not one this API returned; start again without it.")]);
        }

        return error;
    }
}
