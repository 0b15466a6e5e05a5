using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Emails;

namespace PenguinMails.Tracking;

/// <summary>
/// How many opens of one message, or clicks of one of its links, were recorded from one client address in one window
/// of time: the database-wide bound of <see cref="TrackingOptions"/>, shared by every node. Clicks are bounded per
/// link so that a reader who follows every link of a message is counted for each. A row exists only where at least one
/// event was written, so these rows never outnumber the events they bound.
/// </summary>
public sealed class TrackingWindow
{
    public Guid MessageId { get; init; }
    public EmailEventType Type { get; init; }

    /// <summary>
    /// For a click, the link's index in the stored body (<see cref="TrackingToken.LinkIndex"/>), or for a token of the
    /// first format a negative number derived from its URL (<see cref="TrackingEvents.LinkKey"/>); 0 for an open.
    /// </summary>
    public int Link { get; init; }

    /// <summary>The client's keyed address hash (<see cref="ClientAddresses"/>).</summary>
    public required string Client { get; init; }

    /// <summary>Seconds since the Unix epoch divided by the window length.</summary>
    public long WindowNumber { get; init; }

    /// <summary>Events written in this window, at most <see cref="TrackingOptions.EventsPerWindow"/>.</summary>
    public int Hits { get; init; }
}

internal sealed class TrackingWindowConfiguration : IEntityTypeConfiguration<TrackingWindow>
{
    public void Configure(EntityTypeBuilder<TrackingWindow> builder)
    {
        builder.ToTable("tracking_windows");
        builder.HasKey(w => new { w.MessageId, w.Type, w.Link, w.Client, w.WindowNumber });
        builder.Property(w => w.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(w => w.Client).HasMaxLength(64);
        builder.HasOne<EmailMessage>().WithMany().HasForeignKey(w => w.MessageId);
    }
}
