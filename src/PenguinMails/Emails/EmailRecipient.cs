using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

/// <summary>
/// One address of a message, with its own outcome: a relay accepts or refuses each recipient separately,
/// and a bounce or a suppression concerns one address, not the others.
/// </summary>
public sealed class EmailRecipient : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid MessageId { get; init; }
    public RecipientKind Kind { get; init; }

    /// <summary>As written by the caller (display name included); <see cref="Email"/> is the bare address, lower case.</summary>
    public required string Address { get; init; }

    public required string Email { get; init; }
    public RecipientStatus Status { get; set; } = RecipientStatus.Pending;
    public string? Detail { get; set; }
}

public enum RecipientKind
{
    To,
    Cc,
    Bcc,
}

public enum RecipientStatus
{
    Pending,
    Sent,
    Bounced,
    Failed,
    Suppressed,
    Cancelled,
}
