namespace PenguinMails.Domains;

/// <summary>Sending domains and their DNS checks (section <c>PenguinMails:Domains</c>).</summary>
public sealed class DomainOptions
{
    /// <summary>Resolvers to ask, as <c>host</c> or <c>host:port</c> (IP addresses). Empty = the system's resolvers.</summary>
    public List<string> DnsServers { get; set; } = [];

    /// <summary>Seconds one DNS query may take before it counts as a timeout.</summary>
    public double DnsTimeoutSeconds { get; set; } = 3;

    /// <summary>How often one lookup is retried after a timeout or SERVFAIL before it reports <c>dns_error</c>.</summary>
    public int DnsRetries { get; set; } = 2;

    /// <summary>
    /// The SPF mechanism this installation's mail passes, e.g. <c>include:_spf.mail.example.com</c> or <c>ip4:203.0.113.7</c>.
    /// Empty = no SPF record is asked for or checked.
    /// </summary>
    public string SpfInclude { get; set; } = "";

    /// <summary>The bounce host a domain's return-path CNAME points to, e.g. <c>bounces.mail.example.com</c>. Empty = none.</summary>
    public string ReturnPathHost { get; set; } = "";

    /// <summary>The label of the return-path CNAME under each domain (<c>pm-bounces.example.com</c>).</summary>
    public string ReturnPathLabel { get; set; } = "pm-bounces";

    /// <summary>Hours between two checks of a verified domain by the recheck job.</summary>
    public double RecheckHours { get; set; } = 6;

    /// <summary>Hours a verified domain's required records must be definitely absent before it fails (72 by the issue).</summary>
    public double FailAfterHours { get; set; } = 72;

    /// <summary>Seconds between two runs of the recheck job (each run checks the domains that are due).</summary>
    public double JobIntervalSeconds { get; set; } = 300;

    public bool JobEnabled { get; set; } = true;

    /// <summary>
    /// Seconds a node keeps a tenant's verified domain names for the sender rule (<see cref="VerifiedDomainCache"/>): how
    /// long a change made on another node (or by the CLI) may take to reach this node's checks. Changes made on this node
    /// apply at once. 0 = ask the database on every send.
    /// </summary>
    public double SenderCacheSeconds { get; set; } = 2;
}
