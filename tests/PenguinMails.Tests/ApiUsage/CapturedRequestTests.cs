using PenguinMails.ApiUsage;

namespace PenguinMails.Tests.ApiUsage;

/// <summary>The request log's hot-path record keeps the request id as bytes when it can, and gives back the same text always.</summary>
public sealed class CapturedRequestTests
{
    [Theory]
    [InlineData("req_04e02d0cfe8bc6e5b9310a46")] // the usual form: kept as 12 bytes
    [InlineData("req_000000000000000000000000")]
    [InlineData("req_04E02D0CFE8BC6E5B9310A46")] // upper case, too long, too short, not hex, another prefix: kept as text
    [InlineData("req_04e02d0cfe8bc6e5b9310a4600")]
    [InlineData("req_04e02d")]
    [InlineData("req_04e02d0cfe8bc6e5b9310a4g")]
    [InlineData("abc_04e02d0cfe8bc6e5b9310a46")]
    [InlineData("0HN8RSQ6SUB4C:00000001")]
    public void RequestId_ComesBackAsItWas(string id)
    {
        var at = new DateTime(2026, 11, 30, 23, 59, 59, DateTimeKind.Utc).AddTicks(1234567);
        var row = new CapturedRequest
        {
            TenantId = Guid.NewGuid(), ApiKeyId = Guid.NewGuid(), Authenticated = true, Test = true, Endpoint = "GET /api/v1/me",
            Status = 200, DurationMs = 1.5, OccurredAt = at, ClientIp = System.Net.IPAddress.IPv6Loopback, RequestId = id,
        }.ToRow();

        Assert.Equal((id, "test", "::1", at), (row.RequestId, row.Environment, row.ClientIp, row.OccurredAt));
        Assert.Equal(7, row.Id.Version);
    }
}
