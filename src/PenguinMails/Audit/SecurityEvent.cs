using PenguinMails.Data;
using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Audit;

/// <summary>
/// One entry of a tenant's audit log (README "Audit log"): who (<see cref="Actor"/>: <c>user:EMAIL</c>,
/// <c>api_key:pm_live_…</c> identifier, <c>cli</c>), what (<see cref="Type"/>, one of <see cref="SecurityEventTypes"/>, and a
/// <see cref="Detail"/> that never holds a secret), when (UTC) and from where (client IP and user agent). Append-only: nothing
/// changes a row; <see cref="AuditRetention"/> deletes rows older than the retention period.
/// </summary>
public sealed class SecurityEvent : ITenantOwned
{
    public const int MaxDetail = 2000;
    public const int MaxUserAgent = 512;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Type { get; init; }
    public required string Actor { get; init; }
    public Guid? ApiKeyId { get; init; }
    public string? IpAddress { get; init; }
    public string? UserAgent { get; init; }
    public string? Detail { get; init; }
    public DateTime OccurredAt { get; init; }

    /// <summary>
    /// How many occurrences the entry stands for: 1, or for a summary of an IP allow-list flood (<see cref="IpDenials"/>)
    /// the number of refusals it counts, so that alerts and figures add up what happened, not the entries written.
    /// </summary>
    public int Occurrences { get; set; } = 1;

    /// <summary>An event of <paramref name="type"/> by <paramref name="by"/>, its texts cut to the columns' lengths.</summary>
    public static SecurityEvent Of(string type, ChangeActor by, DateTime occurredAt, string? detail = null, Guid? apiKeyId = null) => new()
    {
        Type = type, Actor = Cut(by.Name, 200)!, IpAddress = by.Ip, UserAgent = Cut(by.UserAgent, MaxUserAgent),
        Detail = Cut(detail, MaxDetail), ApiKeyId = apiKeyId, OccurredAt = occurredAt,
    };

    private static string? Cut(string? text, int length) => TextClip.OrNull(text, length);
}
