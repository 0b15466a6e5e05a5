using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using System.Text.Json;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Contacts;

/// <summary>
/// What a contact may hold, checked the same way for one upsert, a PATCH and every row of an import, and the
/// canonical forms stored: lower-case address and tags, attribute values as compact JSON text.
/// </summary>
public static class ContactRules
{
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 100;
    public const int MaxTagLength = 64;
    public const int MaxTags = 100;
    public const int MaxAttributeKeyLength = 64;
    public const int MaxAttributeValueLength = 500;
    public const int MaxAttributesPerRequest = 100;

    /// <summary>
    /// How deep arrays and objects may nest in one attribute value. Every response carries the value inside its
    /// envelope, whose writer stops at 64 levels: a deeper value would break every list and export of the tenant.
    /// </summary>
    public const int MaxAttributeDepth = 16;

    /// <summary>What separates tags in an import's <c>tags</c> cell (and the export's): never part of a tag, so tags round-trip.</summary>
    public static readonly char[] TagSeparators = [';', '|'];

    private static readonly JsonSerializerOptions Canonical = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>How a contact's email is compared and looked up: its <see cref="CanonicalEmail"/> spelling in lower case.</summary>
    public static string Normalize(string email) => CanonicalEmail(email).ToLowerInvariant();

    /// <summary>
    /// The spelling a contact's email is kept and sent in: the one a send would use (<see cref="Emails.EmailAddresses.TryParse"/>:
    /// <c>"ann"@example.com</c> → <c>ann@example.com</c>, <c>a@BÜCHER.example</c> → <c>a@bücher.example</c>, no trailing dot
    /// after the domain), so that a contact, a send and a suppression of one mailbox are one. Trimmed input when it does
    /// not parse (validation has refused it by then). Plain ASCII without quotes or punycode is already canonical.
    /// </summary>
    public static string CanonicalEmail(string email)
    {
        var trimmed = email.Trim();
        return trimmed.All(char.IsAscii) && !trimmed.Contains('"', StringComparison.Ordinal) && !trimmed.EndsWith('.')
            && !trimmed.Contains("xn--", StringComparison.OrdinalIgnoreCase)
            ? trimmed
            : Emails.EmailAddresses.TryParse(trimmed, out _)?.Address ?? trimmed;
    }

    /// <summary>A tag as it is stored and matched: trimmed, in NFC (one spelling of <c>café</c>), lower case.</summary>
    public static string NormalizeTag(string tag) => Emails.Nfc.Of(tag.Trim()).ToLowerInvariant();

    /// <summary>A contact's email: one bare address that a send would accept (<see cref="Emails.EmailAddresses.IsBareAddress"/>).</summary>
    public static bool IsEmail(string email) => email.Length <= MaxEmailLength && Emails.EmailAddresses.IsBareAddress(email);

    /// <summary>The words a contact's <c>status</c> takes, exactly as the API writes them (README "Conventions").</summary>
    public static readonly string[] StatusNames = QueryChoices.Names(typeof(ContactStatus));

    /// <summary>The status <paramref name="status"/> names, written exactly as the API writes it (<c>subscribed</c>), or null.</summary>
    public static ContactStatus? ParseStatus(string? status) =>
        status is null || Array.IndexOf(StatusNames, status) is var i && i < 0 ? null : Enum.GetValues<ContactStatus>()[i];

    public static string StatusName(ContactStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The stored form of an attribute value; null for JSON null, which removes the key.</summary>
    public static string? Encode(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => JsonSerializer.Serialize(value.GetString(), Canonical),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => AttributeNumber.Canonical(value.GetRawText()) ?? value.GetRawText(),
        _ => JsonSerializer.Serialize(value, Canonical),
    };

    public static string EncodeString(string value) => JsonSerializer.Serialize(value, Canonical);

    public static JsonElement Decode(string stored)
    {
        using var document = JsonDocument.Parse(stored);
        return document.RootElement.Clone();
    }

    public static IEnumerable<ValidationResult> CheckEmail(string? email, bool required)
    {
        if (email is null)
        {
            if (required)
            {
                yield return new("email is required.", ["email"]);
            }
        }
        else if (!IsEmail(email.Trim()))
        {
            yield return new("email is not a valid email address.", ["email"]);
        }
    }

    public static IEnumerable<ValidationResult> CheckNames(string? firstName, string? lastName)
    {
        foreach (var (name, field) in new[] { (firstName, "first_name"), (lastName, "last_name") })
        {
            if (name is not null && TextLengthAttribute.Count(name.Trim()) > MaxNameLength)
            {
                yield return new($"{field} must have at most {MaxNameLength} characters.", [field]);
            }

            // Also an import row's (CSV, NDJSON), read without the JSON body's NUL check: PostgreSQL cannot store one.
            if (name is not null && OneLineAttribute.Problem(name.Trim()) is { } problem)
            {
                yield return new(OneLineAttribute.Message(field, problem), [field]);
            }
        }
    }

    public static IEnumerable<ValidationResult> CheckStatus(string? status)
    {
        var details = new List<ErrorDetail>();
        QueryChoices.Check(status, "status", StatusNames, details);
        foreach (var detail in details)
        {
            yield return new(detail.Message, ["status"]);
        }
    }

    /// <summary>
    /// Tags to set or add: 1 to 64 characters, no NUL, none of <see cref="TagSeparators"/> (a CSV cell would split it).
    /// Tags to remove (<paramref name="removing"/>) may hold separators, so that such a tag stored before can go.
    /// </summary>
    public static IEnumerable<ValidationResult> CheckTags(IReadOnlyCollection<string>? tags, string field, bool removing = false)
    {
        if (tags is null)
        {
            yield break;
        }

        if (tags.Count > MaxTags)
        {
            yield return new($"{field} may hold at most {MaxTags} tags.", [field]);
        }

        if (tags.Any(t => t is null || NormalizeTag(t).Length is 0 or > MaxTagLength || t.Contains('\0', StringComparison.Ordinal)))
        {
            yield return new($"every tag must have 1 to {MaxTagLength} characters, none of them NUL.", [field]);
        }

        if (!removing && tags.Select(t => t is null ? null : OneLineAttribute.Problem(NormalizeTag(t))).FirstOrDefault(p => p is not null) is { } problem)
        {
            yield return new(OneLineAttribute.Message("every tag", problem), [field]);
        }

        if (!removing && tags.FirstOrDefault(t => t?.IndexOfAny(TagSeparators) >= 0) is { } separated)
        {
            yield return new($"a tag must not contain ';' or '|', which separate tags in CSV imports and exports ('{Clip(separated)}').", [field]);
        }
    }

    public static IEnumerable<ValidationResult> CheckAttributes(IReadOnlyDictionary<string, JsonElement>? attributes)
    {
        if (attributes is null)
        {
            yield break;
        }

        if (attributes.Count > MaxAttributesPerRequest)
        {
            yield return new($"attributes may hold at most {MaxAttributesPerRequest} keys per request.", ["attributes"]);
        }

        foreach (var (key, value) in attributes)
        {
            if (key.Trim().Length is 0 || TextLengthAttribute.Count(key) > MaxAttributeKeyLength || key != key.Trim())
            {
                yield return new($"attribute keys must have 1 to {MaxAttributeKeyLength} characters, without surrounding spaces ('{Clip(key)}').", ["attributes"]);
            }
            else if (Fault(value, 0) is { } fault)
            {
                yield return new($"attributes.{key} {fault}.", ["attributes"]);
            }
            else if (Encode(value)?.Length > MaxAttributeValueLength)
            {
                yield return new($"attributes.{key} is longer than {MaxAttributeValueLength} characters as JSON.", ["attributes"]);
            }
        }
    }

    /// <summary>
    /// What keeps a value from being stored as sent: a string or key whose <c>\u</c> escapes leave a surrogate unpaired
    /// (not text, RFC 8259 §8.2), a number no double holds (<c>1e309</c>, or <c>1e-400</c>, which would become 0), or
    /// arrays and objects nested deeper than <see cref="MaxAttributeDepth"/>; JSON text alone does not rule them out.
    /// </summary>
    private static string? Fault(JsonElement value, int depth) => value.ValueKind switch
    {
        JsonValueKind.String => IsText(value.GetString) ? null : "is not valid text (an unpaired surrogate escape or a NUL character)",
        JsonValueKind.Number => AttributeNumber.Canonical(value.GetRawText()) is not null ? null
            : "is a number out of range (no double holds it: beyond ±1.7e308, or so near 0 that it would be stored as 0)",
        JsonValueKind.Array or JsonValueKind.Object when depth >= MaxAttributeDepth =>
            $"nests arrays and objects more than {MaxAttributeDepth} levels deep",
        JsonValueKind.Array => value.EnumerateArray().Select(v => Fault(v, depth + 1)).FirstOrDefault(f => f is not null),
        JsonValueKind.Object => value.EnumerateObject()
            .Select(p => IsText(() => p.Name) ? Fault(p.Value, depth + 1) : "has a key that is not valid text (an unpaired surrogate escape or a NUL character)")
            .FirstOrDefault(f => f is not null),
        _ => null,
    };

    private static bool IsText(Func<string?> read)
    {
        try
        {
            return read()?.Contains('\0', StringComparison.Ordinal) != true; // NUL: not storable in PostgreSQL text
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Clip(string key) => TextClip.Shortened(key, 20);
}
