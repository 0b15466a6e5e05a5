using System.Globalization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.ApiUsage;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/usage/requests?from=&amp;to=&amp;key_id=&amp;status=&amp;cursor=</c>: the raw requests of a
/// window, newest first, <see cref="PageSize"/> a page — what a click on a point of the usage page's charts opens. The
/// API's own query (<see cref="RequestLogQuery"/>: RFC 3339 bounds, a status code or class, the same cursor), so a
/// link here is also a valid API query. A problem with the URL is shown on the page, never a 500.
/// </summary>
public sealed class RequestLogModel(AppDb db) : PageModel
{
    public const string Path = PortalPaths.Overview + "/usage/requests";
    public const int PageSize = 50;

    public RequestLogQuery Query { get; private set; } = new(null, null, null, null, null, null, null, null);
    public List<ApiRequest> Rows { get; private set; } = [];
    public Dictionary<Guid, ApiKeys.ApiKey> Keys { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public DateTime? From { get; private set; }
    public DateTime? To { get; private set; }
    public List<string> Problems { get; } = [];

    public static string UrlFor(DateTime from, DateTime to, string? keyId, string? status, string? cursor = null)
    {
        var query = new QueryBuilder { { "from", Iso(from) }, { "to", Iso(to) } };
        AddIf(query, "key_id", keyId);
        AddIf(query, "status", status);
        AddIf(query, "cursor", cursor);
        return Path + query.ToQueryString();
    }

    public async Task OnGetAsync([FromQuery] string? from, [FromQuery] string? to, [FromQuery(Name = "key_id")] string? keyId,
        [FromQuery] string? status, [FromQuery] string? cursor)
    {
        var ct = HttpContext.RequestAborted;
        Query = new RequestLogQuery(status, keyId, null, null, from, to, PageSize, cursor);
        if (Query.Validate(out var filter, out var start, out var end, out var after) is { } invalid)
        {
            Problems.AddRange(invalid.Details.Select(d => d.Message));
            return;
        }

        (From, To) = (start, end);
        Keys = await db.ApiKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, ct);
        if (keyId is not null)
        {
            var key = Keys.Values.FirstOrDefault(k => k.KeyId == keyId || (Guid.TryParse(keyId, out var id) && k.Id == id));
            if (key is null)
            {
                Problems.Add("No API key of this tenant has that id.");
                return;
            }

            filter = filter with { KeyRowId = key.Id };
        }

        var page = await RequestLogQuery.After(RequestLogQuery.Filtered(db, filter, start, end), after).Take(PageSize + 1).ToListAsync(ct);
        Rows = page.Take(PageSize).ToList();
        NextCursor = page.Count > PageSize ? RequestLogQuery.CursorFor(Rows[^1]) : null;
    }

    /// <summary>The next page: the same window and filters, after this page's last row.</summary>
    public string NextUrl => Path + new QueryBuilder(new[] { ("from", Query.From), ("to", Query.To), ("key_id", Query.KeyId), ("status", Query.Status), ("cursor", NextCursor) }
        .Where(p => p.Item2 is not null).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!))).ToQueryString();

    private static void AddIf(QueryBuilder query, string name, string? value)
    {
        if (value is not null)
        {
            query.Add(name, value);
        }
    }

    private static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
