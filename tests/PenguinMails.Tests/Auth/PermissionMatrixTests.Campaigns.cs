using PenguinMails.ApiKeys;
using PenguinMails.Auth;

namespace PenguinMails.Tests.Auth;

public abstract partial class PermissionMatrixTests
{
    /// <summary>Campaigns: read, write (including every status change) and delete; analytics needs analytics:read.</summary>
    public static readonly TheoryData<string, string, string> CampaignsAndAnalytics = new()
    {
        { "GET", "/api/v1/campaigns", Permissions.CampaignsRead },
        { "POST", "/api/v1/campaigns", Permissions.CampaignsWrite },
        { "GET", "/api/v1/campaigns/{id}", Permissions.CampaignsRead },
        { "PATCH", "/api/v1/campaigns/{id}", Permissions.CampaignsWrite },
        { "DELETE", "/api/v1/campaigns/{id}", Permissions.CampaignsDelete },
        { "POST", "/api/v1/campaigns/{id}/send", Permissions.CampaignsWrite },
        { "POST", "/api/v1/campaigns/{id}/schedule", Permissions.CampaignsWrite },
        { "POST", "/api/v1/campaigns/{id}/pause", Permissions.CampaignsWrite },
        { "POST", "/api/v1/campaigns/{id}/resume", Permissions.CampaignsWrite },
        { "POST", "/api/v1/campaigns/{id}/cancel", Permissions.CampaignsWrite },
        { "GET", "/api/v1/analytics/campaigns/{id}", Permissions.AnalyticsRead },
    };

    [Theory]
    [MemberData(nameof(CampaignsAndAnalytics))]
    public void CampaignAndAnalyticsEndpoints_DeclareTheirPermission(string method, string route, string permission)
    {
        var endpoint = Endpoints().Where(e => e.Method == method && e.Route.TrimEnd('/') == route).ToList();

        Assert.Equal(permission, Assert.Single(endpoint).Metadata.GetMetadata<PermissionDeclaration>()?.Permission);
    }
}
