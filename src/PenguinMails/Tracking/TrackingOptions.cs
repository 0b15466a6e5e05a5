namespace PenguinMails.Tracking;

/// <summary>
/// Bounds on what opens and clicks write: per message, event type and client address, at most
/// <see cref="EventsPerWindow"/> events in each window of <see cref="WindowSeconds"/>. Further hits are answered
/// all the same (the pixel, the redirect) and counted by the <c>penguinmails.tracking.unrecorded</c> metric.
/// </summary>
public sealed class TrackingOptions
{
    public int EventsPerWindow { get; set; } = 3;

    public int WindowSeconds { get; set; } = 3600;

    /// <summary>
    /// An address offered as a <c>mailto:</c> unsubscribe in <c>List-Unsubscribe</c> beside the https one (RFC 2369),
    /// e.g. <c>unsubscribe@mail.example.com</c>; empty = https only. Mail arriving there is the operator's to handle.
    /// </summary>
    public string UnsubscribeMailto { get; set; } = "";
}
