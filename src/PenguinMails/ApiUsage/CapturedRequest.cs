using System.Net;

namespace PenguinMails.ApiUsage;

/// <summary>
/// A request as the hot path hands it to <see cref="ApiRequestLog"/>: plain values and references to objects that outlive
/// the request anyway — the route template, the error code, the connection's address, the User-Agent string Kestrel
/// reuses across a connection's requests — with the request id (<c>req_</c> + 24 hex digits) kept as its 12 bytes. A
/// request's own objects held for the ~100 ms a row waits would survive gen0 collections and be copied into older
/// generations; at 40,000 requests a second that cost the server about a tenth of its throughput (bench/README.md
/// "Where the request log's cost lies"). The writer turns each into an <see cref="ApiRequest"/> just before writing it.
/// </summary>
internal readonly struct CapturedRequest
{
    private const string IdPrefix = "req_";
    private const int IdBytes = 12;

    public required Guid TenantId { get; init; }
    public required Guid ApiKeyId { get; init; }
    public required bool Authenticated { get; init; }
    public required bool Test { get; init; }
    public required string Endpoint { get; init; }
    public required int Status { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public required double DurationMs { get; init; }
    public required DateTime OccurredAt { get; init; }
    public IPAddress? ClientIp { get; init; }
    public string? UserAgent { get; init; }

    private readonly ulong _idHigh;
    private readonly uint _idLow;
    private readonly string? _idText; // only when the id is not in the usual form

    /// <summary>The request's <c>X-Request-Id</c>.</summary>
    public required string RequestId
    {
        init
        {
            Span<byte> bytes = stackalloc byte[IdBytes];
            if (value.Length == IdPrefix.Length + 2 * IdBytes && value.StartsWith(IdPrefix, StringComparison.Ordinal)
                && Convert.FromHexString(value.AsSpan(IdPrefix.Length), bytes, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == IdBytes && value.AsSpan(IdPrefix.Length).ContainsAnyInRange('A', 'F') is false)
            {
                _idHigh = BitConverter.ToUInt64(bytes);
                _idLow = BitConverter.ToUInt32(bytes[8..]);
            }
            else
            {
                _idText = value;
            }
        }
    }

    /// <summary>The row to write, with a fresh UUIDv7 id of the request's time (RFC 9562 §5.7).</summary>
    public ApiRequest ToRow() => new()
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(OccurredAt)),
        TenantId = TenantId, ApiKeyId = ApiKeyId, Authenticated = Authenticated, Environment = Test ? "test" : "live",
        Endpoint = Endpoint, Status = Status, ErrorCode = ErrorCode, ErrorMessage = ErrorMessage, DurationMs = DurationMs,
        OccurredAt = OccurredAt, ClientIp = ClientIp?.ToString(), UserAgent = UserAgent, RequestId = IdText(),
    };

    private string IdText()
    {
        if (_idText is not null)
        {
            return _idText;
        }

        Span<byte> bytes = stackalloc byte[IdBytes];
        BitConverter.TryWriteBytes(bytes, _idHigh);
        BitConverter.TryWriteBytes(bytes[8..], _idLow);
        return IdPrefix + Convert.ToHexStringLower(bytes);
    }
}
