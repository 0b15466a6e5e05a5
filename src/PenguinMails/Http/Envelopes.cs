using System.Text.Json.Serialization;

namespace PenguinMails.Http;

/// <summary>The global success envelope: <c>{"success": true, "data": ..., "meta": {...}}</c>.</summary>
public sealed record SuccessEnvelope<T>(T Data, ResponseMeta Meta)
{
    [JsonPropertyOrder(-1)]
    public bool Success => true;
}

public sealed record ResponseMeta(string RequestId)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PageInfo? Pagination { get; init; }
}

public sealed record PageInfo(int Limit, bool HasMore, string? NextCursor);

/// <summary>The global error envelope: <c>{"success": false, "error": {...}, "timestamp": "..."}</c>.</summary>
public sealed record ErrorEnvelope(ErrorBody Error, DateTime Timestamp)
{
    [JsonPropertyOrder(-1)]
    public bool Success => false;
}

public sealed record ErrorBody(
    string Code,
    string Message,
    IReadOnlyList<ErrorDetail> Details,
    string RequestId,
    string DocumentationUrl);

/// <summary>One entry of <c>error.details</c>: the field at fault, or facts a client can act on.</summary>
public sealed record ErrorDetail(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field,
    string Message)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Permission { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RetryAfter { get; init; }

    /// <summary>For a refused state change: the resource's current status.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Status { get; init; }

    /// <summary>For a refused state change: the actions the current status allows.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AllowedActions { get; init; }
}
