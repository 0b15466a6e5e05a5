using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using PenguinMails.Http;

namespace PenguinMails.Contacts;

/// <summary>
/// Add or update by email (case-insensitive). Absent fields stay as they are; <c>attributes</c> are merged key by
/// key (a key set to null is removed); <c>tags</c> are added to the contact's tags.
/// </summary>
public sealed record UpsertContactRequest : IValidatableObject
{
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }

    /// <summary><c>subscribed</c> (default for a new contact), <c>unsubscribed</c>, <c>bounced</c> or <c>complained</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Re-subscribe even an address suppressed for a hard bounce or a complaint.</summary>
    public bool? Force { get; init; }

    public List<string>? Tags { get; init; }
    public Dictionary<string, JsonElement>? Attributes { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ContactRules.CheckEmail(Email, required: true)
            .Concat(ContactRules.CheckNames(FirstName, LastName))
            .Concat(ContactRules.CheckStatus(Status))
            .Concat(ContactRules.CheckTags(Tags, "tags"))
            .Concat(ContactRules.CheckAttributes(Attributes));
}

/// <summary>
/// Changes to one contact; absent fields stay as they are, an empty first/last name clears it. <c>tags</c>
/// replaces the whole set; <c>add_tags</c> / <c>remove_tags</c> change it.
/// </summary>
[PartialUpdate]
public sealed record UpdateContactRequest : IValidatableObject
{
    public string? Email { get; init; }

    [NullClears]
    public string? FirstName { get; init; }

    [NullClears]
    public string? LastName { get; init; }

    public string? Status { get; init; }
    public bool? Force { get; init; }
    public List<string>? Tags { get; init; }
    public List<string>? AddTags { get; init; }
    public List<string>? RemoveTags { get; init; }
    public Dictionary<string, JsonElement>? Attributes { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        ContactRules.CheckEmail(Email, required: false)
            .Concat(ContactRules.CheckNames(FirstName, LastName))
            .Concat(ContactRules.CheckStatus(Status))
            .Concat(ContactRules.CheckTags(Tags, "tags"))
            .Concat(ContactRules.CheckTags(AddTags, "add_tags"))
            .Concat(ContactRules.CheckTags(RemoveTags, "remove_tags", removing: true))
            .Concat(ContactRules.CheckAttributes(Attributes));
}

public sealed record ContactResponse(
    Guid Id,
    string Email,
    string? FirstName,
    string? LastName,
    string Status,
    IReadOnlyDictionary<string, JsonElement> Attributes,
    IReadOnlyList<string> Tags,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    /// <summary>Only on POST /contacts: true when this call created the contact (201), false when it updated it (200).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Created { get; init; }

    public static ContactResponse From(Contact contact) => new(
        contact.Id, contact.Email, contact.FirstName, contact.LastName, ContactRules.StatusName(contact.Status),
        contact.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .ToDictionary(a => a.Key, a => ContactRules.Decode(a.Value), StringComparer.Ordinal),
        contact.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList(),
        DateTime.SpecifyKind(contact.CreatedAt, DateTimeKind.Utc), DateTime.SpecifyKind(contact.UpdatedAt, DateTimeKind.Utc));
}

public sealed record DeletedContactResponse(Guid Id, bool Deleted);

public sealed record TagCount(string Tag, int Count);
