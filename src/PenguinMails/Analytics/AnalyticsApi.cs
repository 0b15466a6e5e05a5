using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Analytics;

/// <summary>/api/v1/analytics: a campaign's delivery and engagement figures.</summary>
public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/analytics").WithTags("Analytics")
            .MapGet("/campaigns/{id}", CampaignAsync).WithName("getCampaignAnalytics").RequirePermission(Permissions.AnalyticsRead)
            .WithSummary("A campaign's counts, rates, hourly series and top links, from its stored email events");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<CampaignAnalyticsView>>, ApiError>> CampaignAsync(
        string id, AppDb db, HttpContext http, CancellationToken ct) =>
        await db.InSnapshotAsync(async () =>
            await CampaignsApi.FindAsync(db, id, ct) is { } campaign ? await CampaignAnalytics.ComputeAsync(db, campaign, ct) : null, ct)
            is { } analytics ? ApiResults.Ok(http, analytics) : ApiError.NotFound("Campaign");
}
