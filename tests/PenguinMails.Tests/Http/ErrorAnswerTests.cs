using System.Net;
using System.Reflection;
using PenguinMails.Http;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>What error answers promise beyond their envelope: the docs page, headers a client acts on.</summary>
public sealed class ErrorAnswerTests(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    [Fact]
    public async Task EveryErrorCodeTheServerDefines_HasItsAnchorOnTheDocsPage()
    {
        var codes = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorCode))
            .Select(f => ((ErrorCode)f.GetValue(null)!).Code)
            .ToList();

        var page = await app.Client().GetAsync("/docs/errors");

        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(codes.Count >= 20, $"only {codes.Count} codes found");
        Assert.All(codes, code => Assert.Contains($"id=\"{code}\"", html));
        Assert.Contains("<a href=\"/dashboard/settings/developers/keys\">Settings → API Keys</a>", html);
        Assert.Equal(HttpStatusCode.Redirect, (await app.Client().GetAsync("/dashboard/settings/developers/keys")).StatusCode);
    }

    [Fact]
    public async Task MethodNotAllowed_ListsTheAcceptedMethodsInAllow()
    {
        var (_, key, _) = await app.CreateTenantWithAdminKeyAsync();

        var response = await app.Client(key).PutAsync("/api/v1/platform/api-keys", new StringContent("{}"));

        await response.ErrorAsync(405, "METHOD_NOT_ALLOWED");
        Assert.Equal(["GET", "HEAD", "POST"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task ErrorAnswers_AreNotCached()
    {
        var response = await app.Client().GetAsync("/api/v1/me");

        await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control: {response.Headers.CacheControl}");
    }

    [Fact]
    public async Task MissingKey_ChallengesWithBearer()
    {
        var response = await app.Client().GetAsync("/api/v1/me");

        await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Fact]
    public async Task UnknownPathUnderTheV1Alias_IsRouteNotFound()
    {
        var error = await (await app.Client().GetAsync("/v1/teleport")).ErrorAsync(404, "ROUTE_NOT_FOUND");

        Assert.DoesNotContain("   at ", error.ToJsonString());
    }
}
