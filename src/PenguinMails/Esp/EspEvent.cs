namespace PenguinMails.Esp;

/// <summary>What an ESP reported, in our terms.</summary>
public enum EspEventKind
{
    /// <summary>The receiving server took the message: a <c>delivered</c> event.</summary>
    Delivered,

    /// <summary>A permanent fault of the recipient's mailbox: bounced, and the address suppressed.</summary>
    HardBounce,

    /// <summary>A temporary failure the ESP retries itself: a <c>deferred</c> event, nothing else changes.</summary>
    SoftBounce,

    /// <summary>Permanent, but not a fact about the mailbox (policy, content, the ESP's own block): failed, not suppressed.</summary>
    Failed,

    Complained,
    Unsubscribed,
    Opened,
    Clicked,
}

/// <summary>
/// One event of an ESP's webhook, read: which message (<see cref="EspMessageId"/>, or our own id echoed back in its
/// metadata), which recipient, what happened, and <see cref="Identity"/>, the text that is the same for every
/// delivery of this one event (the receipt that de-duplicates it is its SHA-256).
/// </summary>
public sealed record EspEvent(string Provider, EspEventKind Kind, string Identity, string? EspMessageId, string? OurId,
    string? Recipient, string? Detail, string? ClientIp);

/// <summary>A call that could not be read: the reason goes back in the 400's details.</summary>
public sealed class EspPayloadException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
