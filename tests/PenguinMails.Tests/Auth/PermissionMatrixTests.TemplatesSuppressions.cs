using PenguinMails.ApiKeys;
using PenguinMails.Auth;

namespace PenguinMails.Tests.Auth;

public abstract partial class PermissionMatrixTests
{
    /// <summary>Templates: sending integrations read and preview, content authors write. Suppressions follow contacts.</summary>
    public static readonly TheoryData<string, string, string> TemplatesAndSuppressions = new()
    {
        { "GET", "/api/v1/templates", Permissions.EmailsSend },
        { "POST", "/api/v1/templates", Permissions.CampaignsWrite },
        { "GET", "/api/v1/templates/{slug}", Permissions.EmailsSend },
        { "PATCH", "/api/v1/templates/{slug}", Permissions.CampaignsWrite },
        { "DELETE", "/api/v1/templates/{slug}", Permissions.CampaignsWrite },
        { "POST", "/api/v1/templates/{slug}/preview", Permissions.EmailsSend },
        { "GET", "/api/v1/suppressions", Permissions.ContactsRead },
        { "POST", "/api/v1/suppressions", Permissions.ContactsWrite },
        { "GET", "/api/v1/suppressions/{email}", Permissions.ContactsRead },
        { "DELETE", "/api/v1/suppressions/{email}", Permissions.ContactsDelete },
    };

    [Theory]
    [MemberData(nameof(TemplatesAndSuppressions))]
    public void TemplateAndSuppressionEndpoints_DeclareTheirPermission(string method, string route, string permission)
    {
        var endpoint = Endpoints().Where(e => e.Method == method && e.Route.TrimEnd('/') == route).ToList();

        Assert.Equal(permission, Assert.Single(endpoint).Metadata.GetMetadata<PermissionDeclaration>()?.Permission);
    }
}
