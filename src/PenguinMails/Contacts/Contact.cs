using PenguinMails.Tenancy;

namespace PenguinMails.Contacts;

/// <summary>
/// A person a tenant can mail. One per address and tenant: <see cref="NormalizedEmail"/> (trimmed, lower-case)
/// is unique within the tenant, <see cref="Email"/> keeps the spelling last sent.
/// </summary>
public sealed class Contact : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Email { get; set; }
    public required string NormalizedEmail { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public ContactStatus Status { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
    public List<ContactAttributeValue> Attributes { get; init; } = [];
    public List<ContactTag> Tags { get; init; } = [];
}

/// <summary>
/// One custom attribute: its value as canonical JSON text, one row per key so that a filter on an attribute is an
/// indexed equality on both providers and concurrent upserts of different keys never overwrite each other.
/// </summary>
public sealed class ContactAttributeValue : ITenantOwned
{
    public Guid ContactId { get; set; }
    public Guid TenantId { get; set; }
    public required string Key { get; init; }
    public required string Value { get; set; }
}

/// <summary>A tag on a contact (lower-case), indexed by tenant and tag so that campaigns can target it.</summary>
public sealed class ContactTag : ITenantOwned
{
    public Guid ContactId { get; set; }
    public Guid TenantId { get; set; }
    public required string Tag { get; init; }
}

/// <summary>Whether mail may go to the contact; the last three are kept in step with the suppression list.</summary>
public enum ContactStatus
{
    Subscribed,
    Unsubscribed,
    Bounced,
    Complained,
}
