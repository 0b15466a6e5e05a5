using System.Globalization;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Campaigns;

/// <summary>
/// <c>GET /api/v1/campaigns</c>: filter by <c>status</c> (one, or several comma-separated) and name <c>search</c>,
/// sort by created_at (default, newest first), name, scheduled_at or sent_at (campaigns without that time last),
/// keyset pagination by cursor.
/// </summary>
public sealed record CampaignListQuery(
    [property: OneOf(typeof(CampaignStatus), CommaSeparated = true)] string? Status,
    string? Search,
    [property: OneOf(typeof(CampaignListQuery), nameof(CampaignListQuery.Sorts))] string? Sort,
    [property: OneOf(typeof(Paging), nameof(Paging.Orders))] string? Order,
    int? Limit,
    string? Cursor)
{
    public static readonly string[] Sorts = ["created_at", "name", "scheduled_at", "sent_at"];

    public ApiError? Validate(out Cursor? cursor, out List<CampaignStatus> statuses)
    {
        var details = Paging.Validate(Limit, Cursor, out cursor, OrderKey)?.Details.ToList() ?? [];
        statuses = [];
        foreach (var name in (Status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (QueryChoices.Check<CampaignStatus>(name, "status", details, oneOfSeveral: true) is { } status)
            {
                statuses.Add(status);
            }
        }

        QueryChoices.Check(Sort, "sort", Sorts, details);
        QueryChoices.Check(Order, "order", Paging.Orders, details);

        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }

    /// <summary>Newest first by default; by name A→Z.</summary>
    public bool Descending => Order == "desc" || (Order is null && Sort != "name");

    /// <summary>The order this request reads the list in, as its cursors keep it (<see cref="Paging.OrderKey"/>).</summary>
    public string OrderKey => Paging.OrderKey(Sort ?? "created_at", Descending);
}

internal static class CampaignList
{
    public static async Task<(List<Campaign> Page, bool HasMore)> RunAsync(
        AppDb db, CampaignListQuery query, Cursor? cursor, List<CampaignStatus> statuses, CancellationToken ct)
    {
        var campaigns = db.Campaigns.AsNoTracking();
        if (statuses.Count > 0)
        {
            campaigns = campaigns.Where(c => statuses.Contains(c.Status));
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToLowerInvariant();
            campaigns = campaigns.Where(c => c.Name.ToLower().Contains(search));
        }

        var limit = query.Limit ?? Paging.DefaultLimit;
        var desc = query.Descending;
        var page = await ((query.Sort ?? "created_at") switch
        {
            "name" => CampaignKeyset.ByName(campaigns, cursor, desc),
            "scheduled_at" => CampaignKeyset.ByTime(campaigns, c => c.ScheduledAt, cursor, desc),
            "sent_at" => CampaignKeyset.ByTime(campaigns, c => c.SentAt, cursor, desc),
            _ => CampaignKeyset.ByTime(campaigns, c => c.CreatedAt, cursor, desc),
        }).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        return (hasMore ? page[..limit] : page, hasMore);
    }

    public static string CursorFor(Campaign c, CampaignListQuery query) => new Cursor(query.Sort switch
    {
        "name" => c.Name,
        "scheduled_at" => c.ScheduledAt?.Ticks.ToString(CultureInfo.InvariantCulture),
        "sent_at" => c.SentAt?.Ticks.ToString(CultureInfo.InvariantCulture),
        _ => c.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
    }, c.Id, query.OrderKey).Encode();
}
