using PenguinMails.ApiKeys;
using PenguinMails.Auth;

namespace PenguinMails.Tests.Auth;

public abstract partial class PermissionMatrixTests
{
    /// <summary>Webhook endpoints: reading (list, get, event types, delivery log) needs webhooks:read, every change webhooks:write.</summary>
    [Fact]
    public void Webhooks_ReadsNeedWebhooksRead_ChangesNeedWebhooksWrite()
    {
        var endpoints = Endpoints().Where(e => e.Route.StartsWith("/api/v1/webhooks", StringComparison.Ordinal)).ToList();

        Assert.Equal(11, endpoints.Count);
        Assert.All(endpoints, e => Assert.Equal(e.Method == "GET" ? Permissions.WebhooksRead : Permissions.WebhooksWrite,
            e.Metadata.GetMetadata<PermissionDeclaration>()?.Permission));
        Assert.Contains(Permissions.WebhooksRead, Permissions.Presets["full_access"]);
        Assert.Contains(Permissions.WebhooksWrite, Permissions.Presets["full_access"]);
    }
}
