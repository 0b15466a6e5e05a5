namespace PenguinMails.Webhooks;

/// <summary>Settings under <c>PenguinMails:Webhooks</c> (README "Webhooks").</summary>
public sealed class WebhookOptions
{
    public const string Section = "PenguinMails:Webhooks";

    /// <summary>Deliver events; off only on nodes that must not send any.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>CIDRs of private addresses endpoints may use (and over plain http); empty by default: public addresses only.</summary>
    public List<string> AllowedPrivateRanges { get; set; } = [];

    /// <summary>Longest wait for an endpoint's answer, in seconds.</summary>
    public double TimeoutSeconds { get; set; } = 15;

    /// <summary>Deliveries in flight on one node.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Deliveries in flight to any one endpoint on one node, so that a slow endpoint never holds up the others.</summary>
    public int PerEndpointConcurrency { get; set; } = 4;

    /// <summary>How often a node looks for due deliveries when nothing woke it.</summary>
    public double PollSeconds { get; set; } = 1;

    /// <summary>How long a claimed delivery is this node's; another node takes it over afterwards (the node died).</summary>
    public double LeaseSeconds { get; set; } = 60;

    /// <summary>Days the delivery log (and events no longer needed) are kept.</summary>
    public int DeliveryLogDays { get; set; } = 30;

    /// <summary>Days of failing without a single success after which an endpoint is disabled and the admins told.</summary>
    public double DisableAfterDays { get; set; } = 5;

    /// <summary>How often a node looks for endpoints changed by other nodes.</summary>
    public double ChangePollSeconds { get; set; } = 2;
}
