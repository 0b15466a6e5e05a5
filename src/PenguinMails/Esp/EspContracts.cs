using System.ComponentModel.DataAnnotations;

namespace PenguinMails.Esp;

/// <summary>
/// <c>PUT /api/v1/tenant/esp</c>: the transport, and credentials to set. A credential left out (null) keeps its stored
/// value, so a form can change the transport without the secrets being typed again; secrets are never read back.
/// </summary>
public sealed record EspSettingsRequest
{
    /// <summary><c>smtp</c> (the server's relay), <c>postmark</c> or <c>mailgun</c>.</summary>
    [Required(ErrorMessage = "transport is required: smtp, postmark or mailgun.")]
    public string? Transport { get; init; }

    public PostmarkSettingsRequest? Postmark { get; init; }
    public MailgunSettingsRequest? Mailgun { get; init; }
}

public sealed record PostmarkSettingsRequest
{
    /// <summary>The Postmark server's API token (sent as X-Postmark-Server-Token).</summary>
    public string? ServerToken { get; init; }

    /// <summary>The message stream for this tenant's mail; <c>outbound</c> by default.</summary>
    public string? MessageStream { get; init; }
}

public sealed record MailgunSettingsRequest
{
    /// <summary>A Mailgun API key (or domain sending key) for <c>api:&lt;key&gt;</c> basic auth.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The sending domain as configured at Mailgun, e.g. <c>mg.example.com</c>.</summary>
    public string? Domain { get; init; }

    /// <summary><c>us</c> or <c>eu</c>: the Mailgun region the domain was created in.</summary>
    public string? Region { get; init; }

    /// <summary>The HTTP webhook signing key (Mailgun → Sending → Webhooks) that signs its event webhooks.</summary>
    public string? WebhookSigningKey { get; init; }
}

/// <summary>
/// A tenant's delivery settings as the API shows them: secrets only as their last four characters (null = not set),
/// and the inbound webhook URLs to paste into each ESP. The Postmark URL carries its basic-auth user and password: it is a
/// credential itself, which is why reading this needs <c>admin:full</c>.
/// </summary>
public sealed record EspSettingsResponse(string Transport, PostmarkSettingsView Postmark, MailgunSettingsView Mailgun, DateTime? UpdatedAt);

public sealed record PostmarkSettingsView(string? ServerTokenLast4, string MessageStream, string WebhookUrl);

public sealed record MailgunSettingsView(string? ApiKeyLast4, string? Domain, string Region, string? WebhookSigningKeyLast4, string WebhookUrl);
