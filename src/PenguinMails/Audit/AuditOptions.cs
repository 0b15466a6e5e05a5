namespace PenguinMails.Audit;

/// <summary><c>PenguinMails:Audit</c>: how long the audit log keeps its entries and how the pruning job works.</summary>
public sealed class AuditOptions
{
    /// <summary>Entries older than this many days are deleted (default 365: the "one year"). Must be at least 1.</summary>
    public int RetentionDays { get; set; } = 365;

    /// <summary>How often each node runs the pruning job.</summary>
    public double PruneIntervalMinutes { get; set; } = 60;

    /// <summary>Rows deleted per statement, so that pruning never holds long locks.</summary>
    public int PruneBatchSize { get; set; } = 5000;
}
