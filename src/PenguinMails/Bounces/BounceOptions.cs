namespace PenguinMails.Bounces;

/// <summary>
/// Bounce and complaint processing (section <c>PenguinMails:Bounces</c>, docs/decisions/0011-bounce-processing.md): the
/// VERP return path's domain and signing secret, the token of the HTTP intake, and the mailbox the reports arrive in.
/// </summary>
public sealed class BounceOptions
{
    /// <summary>
    /// The installation's bounce domain: mail goes out with <c>MAIL FROM:&lt;bounces+token@Domain&gt;</c>. Empty = no
    /// return path of ours (the From address, as before), unless the sender's domain has a verified return-path CNAME.
    /// </summary>
    public string Domain { get; set; } = "";

    /// <summary>The local part before the <c>+</c>: <c>bounces</c> gives <c>bounces+token@…</c>.</summary>
    public string LocalPart { get; set; } = "bounces";

    /// <summary>Base64 (≥ 32 bytes) HMAC secret of the VERP tokens. Empty = generated once into <c>&lt;data&gt;/secrets/bounce-verp.key</c>; every node must share it.</summary>
    public string TokenSecret { get; set; } = "";

    /// <summary>The Bearer token of <c>POST /inbound/bounces</c>. Empty = the endpoint answers 404 (off).</summary>
    public string InboundToken { get; set; } = "";

    /// <summary>Largest report accepted over HTTP, in bytes.</summary>
    public long MaxReportBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Days the inbound-mail log is kept (at least 1): <see cref="BounceMailRetention"/>.</summary>
    public int MailLogRetentionDays { get; set; } = 30;

    public BounceMailboxOptions Mailbox { get; set; } = new();
}

/// <summary>The mailbox the bounce domain's mail lands in (<c>PenguinMails:Bounces:Mailbox</c>). No host = not read.</summary>
public sealed class BounceMailboxOptions
{
    /// <summary><c>imap</c> or <c>pop3</c>.</summary>
    public string Protocol { get; set; } = "imap";

    public string Host { get; set; } = "";

    /// <summary>0 = the protocol's default for the TLS mode (993/143, 995/110).</summary>
    public int Port { get; set; }

    /// <summary><c>ssl</c> (TLS from the start), <c>starttls</c> (required), <c>auto</c> (STARTTLS when offered) or <c>none</c>.</summary>
    public string Tls { get; set; } = "ssl";

    public string User { get; set; } = "";

    /// <summary>Never logged, never answered.</summary>
    public string Password { get; set; } = "";

    /// <summary>IMAP: the folder reports arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>IMAP: where recorded reports are moved (created when missing).</summary>
    public string ProcessedFolder { get; set; } = "Processed";

    /// <summary>IMAP: where mail that is not a report, or maps to no message of ours, is moved (created when missing).</summary>
    public string AsideFolder { get; set; } = "Unprocessed";

    /// <summary>Seconds between two readings of the mailbox.</summary>
    public double IntervalSeconds { get; set; } = 60;

    /// <summary>Most messages handled per reading.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Seconds one node holds the reading lease; another node takes over once it runs out.</summary>
    public double LeaseSeconds { get; set; } = 300;

    /// <summary>Accept a server certificate that does not validate (a private test server). Off by default.</summary>
    public bool AcceptAnyCertificate { get; set; }
}
