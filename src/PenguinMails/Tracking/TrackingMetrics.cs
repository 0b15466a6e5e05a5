using System.Diagnostics.Metrics;
using PenguinMails.Emails;

namespace PenguinMails.Tracking;

/// <summary>
/// <c>penguinmails.tracking.unrecorded</c>: opens and clicks answered but not written, tagged <c>type</c>
/// (<c>opened</c>, <c>clicked</c>) and <c>reason</c> (<c>bound</c>: over <see cref="TrackingOptions"/>'s bound;
/// <c>error</c>: the database refused the write).
/// </summary>
public sealed class TrackingMetrics
{
    public const string MeterName = "PenguinMails.Tracking";

    private readonly Counter<long> _unrecorded;

    public TrackingMetrics(IMeterFactory meters) =>
        _unrecorded = meters.Create(MeterName).CreateCounter<long>("penguinmails.tracking.unrecorded", "{hit}",
            "Opens and clicks answered but not written, by type and reason (bound, error)");

    public void Unrecorded(EmailEventType type, string reason) =>
        _unrecorded.Add(1, new("type", type.ToString().ToLowerInvariant()), new("reason", reason));
}
