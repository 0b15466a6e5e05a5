using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.ApiUsage;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/usage</c> (spec api-access-routes.md "API Usage Analytics", issue 11): the
/// figures of <see cref="ApiUsageService"/> — the API's own, cached the same minute per tenant and query — for the
/// range and key of the URL (<see cref="UsageRange"/>). A range the API would refuse, or a key_id that names no key of
/// this tenant (another tenant's included), shows the problem at its field and no figures. <c>?handler=export</c> is
/// "Export Error Log": the API's CSV of the window's errors (<see cref="UsageCsv"/>) as a download.
/// </summary>
public sealed class UsageModel(AppDb db, ApiUsageService usage, PortalSession session, TimeProvider time, IOptions<PenguinMailsOptions> options)
    : PageModel
{
    /// <summary>Rows of "Top Endpoints" until "View All Endpoints" (<c>endpoints=all</c>) shows every one.</summary>
    public const int TopEndpoints = 5;

    public UsageRange Range { get; private set; } = new(null, null, null, null, null);
    public ApiUsageView? View { get; private set; }
    public List<ApiKey> Keys { get; private set; } = [];
    public bool AllEndpoints { get; private set; }
    public DateTime Now { get; private set; }

    /// <summary>The key of the filter, when one is chosen and is this tenant's.</summary>
    public ApiKey? Key { get; private set; }

    public async Task OnGetAsync([FromQuery] string? range, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? tz,
        [FromQuery(Name = "key_id")] string? keyId, [FromQuery] string? endpoints)
    {
        AllEndpoints = endpoints == "all";
        if (await ResolveAsync(range, from, to, tz, keyId) is { } resolved)
        {
            var (query, window, filter) = resolved;
            (View, _, _) = await usage.GetAsync(query.CacheKey(session.Current!.Id), window, filter, HttpContext.RequestAborted);
        }
    }

    public async Task<IActionResult> OnGetExportAsync([FromQuery] string? range, [FromQuery] string? from, [FromQuery] string? to,
        [FromQuery] string? tz, [FromQuery(Name = "key_id")] string? keyId)
    {
        if (await ResolveAsync(range, from, to, tz, keyId) is not { } resolved)
        {
            return Page();
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"api-errors.csv\"";
        await UsageCsv.WriteErrorsAsync(HttpContext, db, resolved.Window, resolved.Filter, HttpContext.RequestAborted);
        return new EmptyResult();
    }

    /// <summary>The request log of one step of a chart (or the whole window), with this page's key filter.</summary>
    public string RequestsUrl(DateTime from, DateTime to, string? status = null) =>
        RequestLogModel.UrlFor(from, to, Key?.KeyId, status);

    private async Task<(UsageQuery Query, UsageWindow Window, UsageFilter Filter)?> ResolveAsync(
        string? range, string? from, string? to, string? tz, string? keyId)
    {
        var ct = HttpContext.RequestAborted;
        Now = time.GetUtcNow().UtcDateTime;
        Range = new UsageRange(range, from, to, tz, string.IsNullOrWhiteSpace(keyId) ? null : keyId.Trim());
        Keys = await db.ApiKeys.AsNoTracking().OrderBy(k => k.Name).ThenBy(k => k.KeyId).ToListAsync(ct);
        if (Range.KeyId is { } wanted)
        {
            Key = Keys.FirstOrDefault(k => k.KeyId == wanted || (Guid.TryParse(wanted, out var id) && k.Id == id));
            if (Key is null)
            {
                ModelState.AddModelError("key_id", "No API key of this tenant has that id: choose one of the list.");
            }
        }

        if (Range.ToQuery(ModelState) is not { } query || !ModelState.IsValid)
        {
            return null;
        }

        if (query.Validate(Now, options.Value.ApiUsage.RollupRetentionDays, out var window, out var filter) is { } invalid)
        {
            foreach (var detail in invalid.Details)
            {
                ModelState.AddModelError(detail.Field ?? "range", detail.Message);
            }

            return null;
        }

        return (query, window, filter with { KeyRowId = Key?.Id });
    }
}
