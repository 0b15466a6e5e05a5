namespace PenguinMails.Installation;

/// <summary>Mail the installation sends on its own behalf (section <c>PenguinMails:InstallationMail</c>).</summary>
public sealed class InstallationMailOptions
{
    /// <summary>
    /// The operator's sender, e.g. <c>PenguinMails &lt;noreply@mail.example.com&gt;</c>. Empty = PenguinMails:Emails:DefaultFrom,
    /// else <c>PenguinMails &lt;noreply@localhost&gt;</c>. Signed with PenguinMails:Dkim when configured, so its domain should be that key's.
    /// </summary>
    public string From { get; set; } = "";

    /// <summary>Days a sent or failed message is kept (at least 1): <see cref="InstallationMailRetention"/>.</summary>
    public int RetentionDays { get; set; } = 30;

    public const string Fallback = "PenguinMails <noreply@localhost>";

    /// <summary>The sender in force (see <see cref="From"/>).</summary>
    public static string SenderOf(PenguinMailsOptions options) =>
        !string.IsNullOrWhiteSpace(options.InstallationMail.From) ? options.InstallationMail.From.Trim()
        : !string.IsNullOrWhiteSpace(options.Emails.DefaultFrom) ? options.Emails.DefaultFrom.Trim()
        : Fallback;
}
