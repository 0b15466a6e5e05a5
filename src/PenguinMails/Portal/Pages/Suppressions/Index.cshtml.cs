using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Portal.Activity;
using PenguinMails.Suppressions;

namespace PenguinMails.Portal.Pages.Suppressions;

/// <summary>
/// <c>/dashboard/suppressions?search=&amp;reason=&amp;cursor=</c> (issue 14): the tenant's suppression list through the API's
/// <see cref="SuppressionListQuery"/> (newest first, keyset pages of <see cref="PageSize"/>), "Export CSV" of the same
/// filter (<c>?handler=export</c>), and adding one address or many pasted (one a line, or separated by commas): each is
/// validated, the valid ones are added through <see cref="SuppressionList"/> (source <c>portal</c>; one already listed keeps its
/// first reason), and a summary says how many were added, already there, or not addresses. Admins and developers alike, as
/// both may hold a key with contacts:write and contacts:delete.
/// </summary>
public sealed class IndexModel(AppDb db, SuppressionList list, TimeProvider time) : PageModel
{
    public const int PageSize = 50;
    internal const string NoticeKey = "pm_suppressions_notice";
    internal const string ProblemKey = "pm_suppressions_problem";

    [FromQuery(Name = "search")] public string? Search { get; set; }
    [FromQuery(Name = "reason")] public string? Reason { get; set; }
    [FromQuery(Name = "cursor")] public string? Cursor { get; set; }

    [BindProperty]
    [Display(Name = "Addresses")]
    [Required(ErrorMessage = "Enter at least one email address.")]
    public string? Addresses { get; set; }

    [BindProperty]
    [Display(Name = "Reason")]
    public string AddReason { get; set; } = "manual";

    [BindProperty]
    [Display(Name = "Note (optional)")]
    [TextLength(500, ErrorMessage = "The note can have at most 500 characters.")]
    public string? Note { get; set; }

    public List<Suppression> Rows { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public List<string> FilterProblems { get; } = [];
    public DateTime Now => time.GetUtcNow().UtcDateTime;
    public bool Filtered => Search is not null || Reason is not null;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnGetExportAsync()
    {
        (Search, Reason) = (OptionalText.OrNull(Search), OptionalText.OrNull(Reason));
        var query = new SuppressionListQuery(Reason, Search, null, null);
        if (query.Validate(out _, out var reason) is not null)
        {
            return BadRequest();
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"suppressions-{Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv\"";
        await SuppressionPages.WriteCsvAsync(Response.Body, db, query, reason, HttpContext.RequestAborted);
        return new EmptyResult();
    }

    public async Task<IActionResult> OnPostAddAsync()
    {
        var ct = HttpContext.RequestAborted;
        var reason = SuppressionPages.Reasons.FirstOrDefault(r => r.Value == AddReason);
        if (reason.Value is null)
        {
            ModelState.AddModelError(nameof(AddReason), "Choose a reason from the list.");
        }

        var (valid, invalid) = SuppressionPages.Parse(Addresses);
        if (ModelState.IsValid && valid.Count + invalid.Count > SuppressionPages.MaxPasted)
        {
            ModelState.AddModelError(nameof(Addresses), $"Paste at most {SuppressionPages.MaxPasted} addresses at a time.");
        }
        else if (ModelState.IsValid && valid.Count == 0)
        {
            ModelState.AddModelError(nameof(Addresses), invalid.Count == 1 ? $"“{invalid[0]}” is not an email address." : "None of these is an email address.");
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }

        var (added, already) = (0, 0);
        var note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
        foreach (var address in valid)
        {
            var (_, isNew) = await list.AddOrKeepAsync(address, reason.Reason, SuppressionPages.PortalSource, note, ct);
            (added, already) = isNew ? (added + 1, already) : (added, already + 1);
        }

        TempData[NoticeKey] = $"{Count(added, "address was", "addresses were")} added to the suppression list."
            + (already > 0 ? $" {Count(already, "was", "were")} already there (their first reason is kept)." : "");
        if (invalid.Count > 0)
        {
            TempData[ProblemKey] = $"{Count(invalid.Count, "entry is not an email address", "entries are not email addresses")} and {(invalid.Count == 1 ? "was" : "were")} skipped: "
                + string.Join(", ", invalid.Take(20).Select(i => $"“{i}”")) + (invalid.Count > 20 ? $" and {invalid.Count - 20} more" : "") + ".";
        }

        return LocalRedirect(PortalPaths.Suppressions);
    }

    public string PageUrl(string? cursor, string? handler = null) => PortalPaths.Suppressions + new QueryBuilder(
        new[] { ("handler", handler), ("search", Search), ("reason", Reason), ("cursor", cursor) }
            .Where(p => p.Item2 is not null).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))).ToQueryString();

    public static string RemoveUrl(string email) => $"{PortalPaths.Suppressions}/remove?email={Uri.EscapeDataString(email)}";

    private async Task LoadAsync()
    {
        (Search, Reason, Cursor) = (OptionalText.OrNull(Search), OptionalText.OrNull(Reason), OptionalText.OrNull(Cursor));
        var query = new SuppressionListQuery(Reason, Search, PageSize, Cursor);
        if (query.Validate(out var cursor, out var reason) is { } invalid)
        {
            FilterProblems.AddRange(invalid.Details.Select(d => d.Message));
            return;
        }

        var (page, hasMore) = await query.RunAsync(db, cursor, reason, HttpContext.RequestAborted);
        Rows = page;
        NextCursor = hasMore ? new Http.Cursor(page[^1].CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), page[^1].Id).Encode() : null;
    }

    private static string Count(int n, string one, string many) => n == 1 ? $"1 {one}" : $"{n} {many}";
}
