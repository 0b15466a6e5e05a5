using System.Text.Json.Nodes;

namespace PenguinMails.Emails;

/// <summary>A send request that passed validation: parsed addresses and everything needed to store it.</summary>
public sealed record EmailDraft
{
    public required string From { get; init; }
    public required IReadOnlyList<DraftRecipient> Recipients { get; init; }
    public required IReadOnlyList<string> ReplyTo { get; init; }
    public string? Subject { get; init; }
    public string? HtmlBody { get; init; }
    public string? TextBody { get; init; }
    public string? TemplateId { get; init; }
    public IReadOnlyDictionary<string, JsonNode?> Variables { get; init; } = new Dictionary<string, JsonNode?>();
    public required IReadOnlyDictionary<string, string> Headers { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    public bool TrackOpens { get; init; }
    public bool TrackClicks { get; init; }
    public DateTime? ScheduledAt { get; init; }
    public IReadOnlyList<Attachments.DraftAttachment> Attachments { get; init; } = [];
}

public sealed record DraftRecipient(RecipientKind Kind, string Address, string Email);
