using PenguinMails.ApiKeys;
using PenguinMails.Auth;

namespace PenguinMails.Tests.Auth;

public abstract partial class PermissionMatrixTests
{
    /// <summary>The tenant's delivery transport and ESP credentials: admin:full only (Esp/EspApi says why).</summary>
    public static readonly TheoryData<string, string, string> EspSettings = new()
    {
        { "GET", "/api/v1/tenant/esp", Permissions.AdminFull },
        { "PUT", "/api/v1/tenant/esp", Permissions.AdminFull },
    };

    [Theory]
    [MemberData(nameof(EspSettings))]
    public void EspEndpoints_DeclareTheirPermission(string method, string route, string permission)
    {
        var endpoint = Endpoints().Where(e => e.Method == method && e.Route.TrimEnd('/') == route).ToList();

        Assert.Equal(permission, Assert.Single(endpoint).Metadata.GetMetadata<PermissionDeclaration>()?.Permission);
    }
}
