using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Auth;

/// <summary>
/// Every endpoint of the app, found by enumeration: each declares its access, refuses a request without a
/// key, and refuses a key that lacks its permission. A new endpoint without a declaration fails here.
/// </summary>
public abstract partial class PermissionMatrixTests(PenguinMailsFactory app)
{
    /// <summary>/inbound/esp/: the ESPs' event webhooks, authenticated by their own credentials or signature, never a key.</summary>
    /// <summary>Anonymous to the key policy by design: health, the API's documents, tracking links, ESP receivers, the SDK
    /// packages (/sdks/); <c>/inbound/bounces</c> checks the operator's inbound token itself (InboundBouncesApiTests).</summary>
    private static readonly string[] PublicPrefixes = ["/healthz", "/readyz", "/openapi", "/docs", "/t/", "/inbound/esp/", "/inbound/bounces", "/sdks"];

    /// <summary>
    /// The portal's anonymous pages: "/" (redirects to the dashboard) and the steps a person without a session needs —
    /// sign-in, the two-factor code, a forgotten password.
    /// </summary>
    // "/", "/dashboard" and "/dashboard/settings" only redirect to the overview, which signs in first.
    private static readonly string[] PublicPages =
        ["/", "/dashboard", "/dashboard/settings", "/account/sign-in", "/account/sign-in/two-factor", "/account/forgot-password", "/account/reset-password"];

    /// <summary>A portal page declares its access as the portal's cookie policy (pages never take API keys).</summary>
    private static bool IsPortalPage(EndpointMetadataCollection metadata) =>
        metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == PenguinMails.Portal.PortalExtensions.Policy);

    private IEnumerable<(string Method, string Route, EndpointMetadataCollection Metadata)> Endpoints()
    {
        app.Client(); // start the server
        return app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata)));
    }

    [Fact]
    public void EveryEndpoint_DeclaresItsAccess()
    {
        var undeclared = Endpoints()
            .Where(e => e.Metadata.GetMetadata<PermissionDeclaration>() is null && e.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !IsPortalPage(e.Metadata))
            .Select(e => $"{e.Method} {e.Route}")
            .ToList();
        Assert.Empty(undeclared);
    }

    [Fact]
    public void OnlyDocsAndHealth_ArePublic()
    {
        var publicApi = Endpoints()
            .Where(e => e.Metadata.GetMetadata<PermissionDeclaration>() is null)
            .Where(e => !(IsPortalPage(e.Metadata) && e.Metadata.GetMetadata<IAllowAnonymous>() is null))
            .Where(e => !PublicPages.Contains(e.Route))
            .Where(e => !PublicPrefixes.Any(p => e.Route.StartsWith(p, StringComparison.Ordinal)))
            .Select(e => $"{e.Method} {e.Route}")
            .ToList();
        Assert.Empty(publicApi);
    }

    [Fact]
    public async Task EveryProtectedEndpoint_RefusesARequestWithoutAKey()
    {
        var client = app.Client();
        foreach (var (method, route, _) in Endpoints().Where(e => e.Metadata.GetMetadata<PermissionDeclaration>() is not null))
        {
            var response = await client.SendAsync(Request(method, route));
            Assert.True((int)response.StatusCode == 401, $"{method} {route} answered {(int)response.StatusCode} without a key");
            await response.ErrorAsync(401, "AUTHENTICATION_REQUIRED");
        }
    }

    [Fact]
    public async Task EveryPermissionedEndpoint_RefusesAKeyWithoutThatPermission()
    {
        var tenant = await app.CreateTenantAsync();
        var declared = Endpoints()
            .Select(e => (e.Method, e.Route, Permission: e.Metadata.GetMetadata<PermissionDeclaration>()?.Permission))
            .Where(e => e.Permission is not null)
            .ToList();
        Assert.NotEmpty(declared);
        foreach (var (method, route, permission) in declared)
        {
            var allButThis = Permissions.All.Where(p => p != permission && p != Permissions.AdminFull).ToList();
            var (key, _) = await app.CreateKeyAsync(tenant, allButThis);
            var response = await app.Client(key).SendAsync(Request(method, route));
            var error = await response.ErrorAsync(403, "INSUFFICIENT_PERMISSIONS");
            Assert.Equal(permission, error["details"]![0]!["permission"]!.GetValue<string>());
        }
    }

    private static HttpRequestMessage Request(string method, string route)
    {
        var url = RouteParameter().Replace(route, Guid.NewGuid().ToString());
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}

public sealed class PermissionMatrixSqliteTests(SqliteFactory app) : PermissionMatrixTests(app), IClassFixture<SqliteFactory>;

public sealed class PermissionMatrixPostgresTests(PostgresFactory app) : PermissionMatrixTests(app), IClassFixture<PostgresFactory>;
