namespace PenguinMails.Esp;

/// <summary>
/// Where the ESPs' APIs are (section <c>PenguinMails:Esp</c>). The defaults are their documented hosts; tests point
/// them at a local stand-in. A tenant picks Mailgun's region, never a URL, so no tenant can aim the server elsewhere.
/// </summary>
public sealed class EspOptions
{
    /// <summary>Postmark's API (https://postmarkapp.com/developer/api/email-api).</summary>
    public string PostmarkBaseUrl { get; set; } = "https://api.postmarkapp.com";

    /// <summary>Mailgun's US API host (https://documentation.mailgun.com/docs/mailgun/api-reference/).</summary>
    public string MailgunUsBaseUrl { get; set; } = "https://api.mailgun.net";

    /// <summary>Mailgun's EU API host, for domains created in the EU region.</summary>
    public string MailgunEuBaseUrl { get; set; } = "https://api.eu.mailgun.net";

    /// <summary>Timeout of one call to an ESP's API, in seconds; a call that times out is retried like a lost SMTP connection.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>How long a node keeps a tenant's transport settings before reading them again (changes on the same node apply at once).</summary>
    public double SettingsCacheSeconds { get; set; } = 30;

    /// <summary>Mailgun webhook signatures older (or further in the future) than this are refused, in seconds.</summary>
    public int SignatureMaxAgeSeconds { get; set; } = 300;
}
