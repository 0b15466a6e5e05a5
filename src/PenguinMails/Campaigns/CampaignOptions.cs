namespace PenguinMails.Campaigns;

/// <summary>The campaign fan-out (section <c>PenguinMails:Campaigns</c>).</summary>
public sealed class CampaignOptions
{
    /// <summary>Run the fan-out worker on this node (it also starts scheduled campaigns and marks finished ones sent).</summary>
    public bool FanOutEnabled { get; set; } = true;

    /// <summary>Contacts read, rendered and queued per transaction.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>How often an idle worker looks for campaigns to start, fan out or finish.</summary>
    public double PollSeconds { get; set; } = 2;

    /// <summary>How long a node holds a campaign's fan-out without progress before another node may take it over.</summary>
    public double LeaseSeconds { get; set; } = 60;
}
