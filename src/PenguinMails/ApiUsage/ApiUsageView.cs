namespace PenguinMails.ApiUsage;

/// <summary>
/// <c>data</c> of GET /api/v1/tenant/analytics/api-usage (issue 11, spec api-access-routes.md "API Usage Analytics").
/// Counts are requests made with verified keys in [<c>from</c>, <c>to</c>) matching the filters; requests whose
/// secret was wrong are only in <c>unauthenticated_requests</c> (and <c>unauthenticated</c>), never in a rate. Rates
/// are fractions (0.9950 = 99.5 %) rounded to 4 decimals; times are milliseconds; percentiles are the upper bound of
/// their latency bucket (<see cref="LatencyHistogram"/>), null without requests. A success is a status below 400.
/// </summary>
public sealed record ApiUsageView(
    DateTime From,
    DateTime To,
    string Step,
    long TotalRequests,
    decimal SuccessRate,
    double? AvgResponseMs,
    double? P50ResponseMs,
    double? P95ResponseMs,
    double? P99ResponseMs,
    long UnauthenticatedRequests,
    RateLimitView RateLimit,
    IReadOnlyList<SeriesPoint> Series,
    IReadOnlyList<EndpointUsage> Endpoints,
    IReadOnlyList<ErrorCount> Errors,
    IReadOnlyList<RecentError> RecentErrors,
    IReadOnlyList<KeyUsage> Keys,
    IReadOnlyList<UnauthenticatedCount> Unauthenticated);

/// <summary>One step of the request-volume chart: <c>t</c> is the step's start.</summary>
public sealed record SeriesPoint(DateTime T, long Total, long Success, long Errors);

public sealed record EndpointUsage(string Endpoint, long Requests, decimal SuccessRate, double AvgResponseMs, double? P95ResponseMs, long Errors);

/// <summary>Error answers by status and error code (code null for an error answered without the envelope).</summary>
public sealed record ErrorCount(int Status, string? Code, long Count);

/// <summary>One of the latest error answers; <c>key</c> is the key's identifier (pm_live_...).</summary>
public sealed record RecentError(DateTime Time, string Endpoint, int Status, string? Code, string? Message, string Key, string RequestId);

public sealed record KeyUsage(Guid Id, string KeyId, string Name, long Requests, decimal SuccessRate, DateTime? LastUsedAt);

/// <summary>Requests that named this key's identifier with a wrong secret, by key and endpoint.</summary>
public sealed record UnauthenticatedCount(string KeyId, string Endpoint, long Count);

/// <summary>
/// The plan's limit against the tenant's use, from the per-minute counts of the rate limiter (all requests made with
/// the tenant's keys, whatever the filters): <c>peak_used</c> is the most requests made in one minute, at
/// <c>peak_at</c>; <c>percent_of_limit</c> that peak over <c>limit_per_minute</c> (a fraction); <c>exceeded_count</c>
/// the requests refused with 429. <c>series</c>: per step, the busiest minute's requests and the refusals.
/// </summary>
public sealed record RateLimitView(
    string Plan,
    int LimitPerMinute,
    int Burst,
    long PeakUsed,
    DateTime? PeakAt,
    decimal PercentOfLimit,
    long ExceededCount,
    IReadOnlyList<RateLimitPoint> Series);

public sealed record RateLimitPoint(DateTime T, long Used, int Limit, long Refused);

/// <summary>
/// <c>meta</c> of the usage answer: the figures were computed at <c>computed_at</c> and are kept
/// <c>cache_seconds</c> per tenant and query (<c>cached</c> says this answer is such a copy), so two nodes may differ
/// by that much. <c>dropped_requests</c>: requests the answering node could not record since it started (its buffer
/// was full), which the figures therefore lack.
/// </summary>
public sealed record UsageMeta(string RequestId, DateTime ComputedAt, bool Cached, int CacheSeconds, long DroppedRequests);

/// <summary>The global success envelope with the usage answer's own <see cref="UsageMeta"/>.</summary>
public sealed record UsageEnvelope(ApiUsageView Data, UsageMeta Meta)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public bool Success => true;
}
