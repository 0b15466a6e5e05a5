using PenguinMails.ApiKeys;
using PenguinMails.Auth;

namespace PenguinMails.Tests.Auth;

public abstract partial class PermissionMatrixTests
{
    /// <summary>The audit log is the tenant's security record: admin:full alone reads it (admin:api_keys does not).</summary>
    [Fact]
    public void AuditLog_DeclaresAdminFull()
    {
        var endpoint = Endpoints().Where(e => e.Method == "GET" && e.Route.TrimEnd('/') == "/api/v1/platform/audit-log").ToList();

        Assert.Equal(Permissions.AdminFull, Assert.Single(endpoint).Metadata.GetMetadata<PermissionDeclaration>()?.Permission);
    }
}
