namespace PenguinMails.Delivery;

/// <summary>The dispatcher that delivers queued messages (section <c>PenguinMails:Delivery</c>).</summary>
public sealed class DeliveryOptions
{
    /// <summary>Run the dispatcher on this node. Off for API-only nodes; the messages wait for a node that has it on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages delivered at once by this node; each worker keeps its own SMTP connection.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>How often an idle dispatcher looks for due messages (new sends on this node wake it at once).</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>How long a claimed message stays leased to its node; a node that dies releases it after this.</summary>
    public double LeaseSeconds { get; set; } = 300;

    /// <summary>Wait before the first retry of a temporary failure; doubled on each further attempt.</summary>
    public double RetryBaseSeconds { get; set; } = 60;

    /// <summary>Longest wait between two attempts.</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>A message still undelivered this long after it was due fails for good.</summary>
    public double DeadlineHours { get; set; } = 72;

    /// <summary>Base URL of tracking and unsubscribe links in messages; empty = PublicUrl, else http://localhost:5080.</summary>
    public string TrackingBaseUrl { get; set; } = "";

    /// <summary>Where .eml files are written when no SMTP host is configured; empty = {DataDirectory}/outbox.</summary>
    public string PickupDirectory { get; set; } = "";
}

/// <summary>The SMTP relay (section <c>PenguinMails:Smtp</c>). No host = messages are written as .eml files.</summary>
public sealed class SmtpOptions
{
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;

    /// <summary><c>auto</c> (STARTTLS when offered), <c>starttls</c> (required), <c>tls</c> (implicit, port 465) or <c>none</c>.</summary>
    public string Security { get; set; } = "auto";

    public string Username { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Accept any server certificate (self-signed test relays only).</summary>
    public bool AcceptAnyCertificate { get; set; }

    /// <summary>Timeout of each SMTP command, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>An idle connection is closed after this many seconds and opened again when needed.</summary>
    public double IdleSeconds { get; set; } = 30;

    /// <summary>Name sent in EHLO; empty = the machine's name.</summary>
    public string HeloName { get; set; } = "";
}
