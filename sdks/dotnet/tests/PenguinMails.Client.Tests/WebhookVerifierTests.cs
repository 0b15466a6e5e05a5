using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace PenguinMails.Tests;

/// <summary>
/// WebhookVerifier on messages signed here with the Standard Webhooks construction (the scenario test checks it
/// against the reference library's own signature): header names in any case, several signatures, the tolerance
/// both ways, and refusals.
/// </summary>
public sealed class WebhookVerifierTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Key);
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private const string Body = """{"type":"email.delivered","timestamp":"2026-11-30T11:59:59Z","data":{"email_id":"msg_1","to":"ü@example.com"}}""";

    [Fact]
    public void Headers_in_any_case_and_one_matching_signature_of_several_verify()
    {
        var headers = new Dictionary<string, string>
        {
            ["Webhook-Id"] = "evt_1",
            ["WEBHOOK-TIMESTAMP"] = Unix(Now),
            ["webhook-signature"] = "v1,AAAA v2,whatever " + Sign("evt_1", Unix(Now), Body),
        };

        var e = WebhookVerifier.Verify(Body, headers, Secret, timeProvider: Clock());

        Assert.Equal("evt_1", e.Id);
        Assert.Equal("email.delivered", e.Type);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 11, 59, 59, TimeSpan.Zero), e.Timestamp);
        Assert.Equal("msg_1", e.Data.GetProperty("email_id").GetString());
    }

    [Theory]
    [InlineData(-299, true)]
    [InlineData(299, true)]
    [InlineData(-301, false)]
    [InlineData(301, false)]
    public void The_timestamp_must_be_within_five_minutes_either_way(int offsetSeconds, bool accepted)
    {
        var at = Unix(Now.AddSeconds(offsetSeconds));
        var verify = () => WebhookVerifier.Verify(Body, "evt_2", at, Sign("evt_2", at, Body), Secret, timeProvider: Clock());

        if (accepted)
        {
            Assert.Equal("evt_2", verify().Id);
        }
        else
        {
            Assert.Throws<WebhookVerificationException>(verify);
        }
    }

    [Fact]
    public void A_wider_tolerance_accepts_an_older_message()
    {
        var at = Unix(Now.AddMinutes(-10));

        var e = WebhookVerifier.Verify(Body, "evt_3", at, Sign("evt_3", at, Body), Secret, TimeSpan.FromMinutes(15), Clock());

        Assert.Equal("evt_3", e.Id);
    }

    [Theory]
    [InlineData(null, "1", "v1,x")]
    [InlineData("evt_4", null, "v1,x")]
    [InlineData("evt_4", "1", null)]
    [InlineData("evt_4", "soon", "v1,x")]
    public void Missing_or_malformed_headers_are_refused(string? id, string? timestamp, string? signature)
        => Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(Body, id, timestamp, signature, Secret, timeProvider: Clock()));

    [Fact]
    public void A_signature_for_another_id_is_refused()
    {
        var at = Unix(Now);

        Assert.Throws<WebhookVerificationException>(() => WebhookVerifier.Verify(Body, "evt_5", at, Sign("evt_6", at, Body), Secret, timeProvider: Clock()));
    }

    [Fact]
    public void A_secret_that_is_not_base64_is_an_argument_error()
    {
        var at = Unix(Now);

        var error = Assert.Throws<ArgumentException>(() => WebhookVerifier.Verify(Body, "evt_7", at, Sign("evt_7", at, Body), "whsec_not base64!", timeProvider: Clock()));
        Assert.DoesNotContain("not base64!", error.Message, StringComparison.Ordinal);
    }

    private static FakeTimeProvider Clock() => new(Now);

    private static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Sign(string id, string timestamp, string body)
        => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
}
