using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Http.Idempotency;
using PenguinMails.OpenApi;

namespace PenguinMails.Campaigns;

/// <summary>
/// /api/v1/campaigns: create, list, read, edit and delete campaigns, and move them through their statuses
/// (<see cref="CampaignActions"/>). POST writes honour Idempotency-Key.
/// </summary>
public static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaigns(this IEndpointRouteBuilder app)
    {
        var campaigns = app.MapGroup("/api/v1/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", List).WithName("listCampaigns").RequirePermission(Permissions.CampaignsRead)
            .WithSummary("List campaigns by status, with sorting and cursor pagination");
        campaigns.MapPost("/", Create).WithName("createCampaign").ProducesErrors(ErrorCodes.TemplateNotFound).RequirePermission(Permissions.CampaignsWrite).WithIdempotency()
            .WithSummary("Create a draft campaign");
        campaigns.MapGet("/{id}", Get).WithName("getCampaign").RequirePermission(Permissions.CampaignsRead)
            .WithSummary("Get a campaign with its progress");
        campaigns.MapPatch("/{id}", Update).WithName("updateCampaign").ProducesErrors(ErrorCodes.ResourceConflict, ErrorCodes.TemplateNotFound).RequirePermission(Permissions.CampaignsWrite)
            .WithSummary("Edit a draft or scheduled campaign");
        campaigns.MapDelete("/{id}", Delete).WithName("deleteCampaign").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.CampaignsDelete)
            .WithSummary("Delete a draft, sent or cancelled campaign (its messages and analytics stay)");
        campaigns.MapCampaignActions();
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<CampaignView>>>, ApiError>> List(
        [AsParameters] CampaignListQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var cursor, out var statuses) is { } invalid)
        {
            return invalid;
        }

        var (page, hasMore, views) = await db.InSnapshotAsync(async () =>
        {
            var (page, hasMore) = await CampaignList.RunAsync(db, query, cursor, statuses, ct);
            return (page, hasMore, await CampaignViews.ViewsAsync(db, page, ct));
        }, ct);
        var next = hasMore ? CampaignList.CursorFor(page[^1], query) : null;
        return ApiResults.Ok(http, views, new PageInfo(query.Limit ?? Paging.DefaultLimit, hasMore, next));
    }

    private static async Task<Results<Created<SuccessEnvelope<CampaignView>>, ApiError>> Create(
        CreateCampaignRequest request, CampaignEditor editor, AppDb db, HttpContext http, CancellationToken ct)
    {
        var campaign = new Campaign { Name = request.Name, From = request.From ?? "", CreatedAt = editor.Now };
        if (await editor.CreateAsync(campaign, request, ct) is { } error)
        {
            return error;
        }

        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        return ApiResults.Created(http, $"/api/v1/campaigns/{CampaignIds.Format(campaign.Id)}", await CampaignViews.ViewAsync(db, campaign, ct));
    }

    private static async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Get(string id, AppDb db, HttpContext http, CancellationToken ct) =>
        await db.InSnapshotAsync(async () => await FindAsync(db, id, ct) is { } campaign ? await CampaignViews.ViewAsync(db, campaign, ct) : null, ct)
            is { } view ? ApiResults.Ok(http, view) : ApiError.NotFound("Campaign");

    private static async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Update(
        string id, UpdateCampaignRequest request, CampaignEditor editor, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct, tracked: true) is not { } campaign)
        {
            return ApiError.NotFound("Campaign");
        }

        var status = campaign.Status;
        if (!CampaignStateMachine.Permits(status, CampaignStateMachine.Edit))
        {
            return CampaignStateMachine.Refusal(status, CampaignStateMachine.Edit);
        }

        if (await editor.ApplyAsync(campaign, request, ct) is { } error)
        {
            return error;
        }

        // Saved only if no send, schedule or cancel changed the status meanwhile.
        db.Entry(campaign).Property(c => c.Status).OriginalValue = status;
        db.Entry(campaign).Property(c => c.Status).IsModified = true;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiError.Conflict("The campaign changed status while it was being edited; read it again.");
        }

        return ApiResults.Ok(http, await CampaignViews.ViewAsync(db, campaign, ct));
    }

    private static async Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Delete(string id, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct) is not { } campaign)
        {
            return ApiError.NotFound("Campaign");
        }

        var deletable = CampaignStateMachine.From(CampaignStateMachine.Delete);
        if (await db.Campaigns.Where(c => c.Id == campaign.Id && deletable.Contains(c.Status)).ExecuteDeleteAsync(ct) == 0)
        {
            return CampaignStateMachine.Refusal(campaign.Status, CampaignStateMachine.Delete);
        }

        return ApiResults.Ok(http, await CampaignViews.ViewAsync(db, campaign, ct));
    }

    internal static Task<Campaign?> FindAsync(AppDb db, string id, CancellationToken ct, bool tracked = false) =>
        CampaignIds.Parse(id) is { } guid
            ? (tracked ? db.Campaigns : db.Campaigns.AsNoTracking()).FirstOrDefaultAsync(c => c.Id == guid, ct)
            : Task.FromResult<Campaign?>(null);
}
