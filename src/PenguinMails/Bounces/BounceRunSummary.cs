namespace PenguinMails.Bounces;

/// <summary>What one reading of the mailbox did: how many mails per outcome, and how many it skipped (POP3 mail set aside before).</summary>
public sealed class BounceRunSummary
{
    public Dictionary<BounceOutcome, int> Outcomes { get; } = [];
    public int Skipped { get; set; }

    public int this[BounceOutcome outcome] => Outcomes.GetValueOrDefault(outcome);

    public void Add(BounceOutcome outcome) => Outcomes[outcome] = this[outcome] + 1;

    /// <summary>Processed mail leaves the inbox (IMAP: moved to the processed folder; POP3: deleted); the rest is set aside.</summary>
    public static bool IsProcessed(BounceOutcome outcome) => outcome is BounceOutcome.Recorded or BounceOutcome.Duplicate or BounceOutcome.Ignored;

    public override string ToString() =>
        string.Join(", ", Enum.GetValues<BounceOutcome>().Select(o => $"{o.ToString().ToLowerInvariant()} {this[o]}")) + $", skipped {Skipped}";
}
