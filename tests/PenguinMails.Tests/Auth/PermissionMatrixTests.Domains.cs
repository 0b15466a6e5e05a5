using PenguinMails.ApiKeys;
using PenguinMails.Auth;

namespace PenguinMails.Tests.Auth;

public abstract partial class PermissionMatrixTests
{
    /// <summary>Sending domains: reading them and their records, and managing them (add, verify, rotate, delete).</summary>
    public static readonly TheoryData<string, string, string> Domains = new()
    {
        { "GET", "/api/v1/domains", Permissions.DomainsRead },
        { "POST", "/api/v1/domains", Permissions.DomainsWrite },
        { "GET", "/api/v1/domains/{id}", Permissions.DomainsRead },
        { "DELETE", "/api/v1/domains/{id}", Permissions.DomainsWrite },
        { "POST", "/api/v1/domains/{id}/verify", Permissions.DomainsWrite },
        { "POST", "/api/v1/domains/{id}/dkim/rotate", Permissions.DomainsWrite },
    };

    [Theory]
    [MemberData(nameof(Domains))]
    public void DomainEndpoints_DeclareTheirPermission(string method, string route, string permission)
    {
        var endpoint = Endpoints().Where(e => e.Method == method && e.Route.TrimEnd('/') == route).ToList();

        Assert.Equal(permission, Assert.Single(endpoint).Metadata.GetMetadata<PermissionDeclaration>()?.Permission);
    }
}
