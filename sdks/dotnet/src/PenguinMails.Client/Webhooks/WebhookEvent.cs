using System.Text.Json;

namespace PenguinMails;

/// <summary>
/// A verified webhook event: <c>{"type", "timestamp", "data"}</c> (README "Webhooks") with the <c>webhook-id</c>
/// header, the same on every retry and replay — de-duplicate on <see cref="Id"/>.
/// </summary>
/// <param name="Id">The event's id (<c>evt_...</c>) from <c>webhook-id</c>.</param>
/// <param name="Type">The event type, e.g. <c>email.delivered</c>.</param>
/// <param name="Timestamp">When the event happened (UTC).</param>
/// <param name="Data">The event's data; its shape depends on <see cref="Type"/> (see the webhook event types).</param>
public sealed record WebhookEvent(string Id, string Type, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>The body of a webhook as the server signs it.</summary>
internal sealed record WebhookEventBody(string? Type, DateTimeOffset Timestamp, JsonElement Data);

/// <summary>A webhook failed verification: treat it as forged (answer 400 and do not act on it).</summary>
public sealed class WebhookVerificationException : Exception
{
    /// <summary>A failure with its reason.</summary>
    /// <param name="message">Why verification failed (never contains the secret).</param>
    public WebhookVerificationException(string message)
        : base(message)
    {
    }

    /// <summary>A failure with its reason and cause.</summary>
    /// <param name="message">Why verification failed.</param>
    /// <param name="innerException">The cause.</param>
    public WebhookVerificationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>A failure without a reason given.</summary>
    public WebhookVerificationException()
        : base("The webhook failed verification.")
    {
    }
}
