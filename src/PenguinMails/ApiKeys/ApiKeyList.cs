using System.Globalization;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.ApiKeys;

/// <summary>The list query: search by name or key id, filter by status, sort, keyset pagination.</summary>
public sealed record ApiKeyListQuery(
    string? Search,
    [property: OneOf(typeof(ApiKeyListQuery), nameof(ApiKeyListQuery.Statuses))] string? Status,
    [property: OneOf(typeof(ApiKeyListQuery), nameof(ApiKeyListQuery.Sorts))] string? Sort,
    [property: OneOf(typeof(Paging), nameof(Paging.Orders))] string? Order,
    int? Limit,
    string? Cursor)
{
    public static readonly string[] Sorts = ["created_at", "last_used_at", "name"];
    public static readonly string[] Statuses = ["all", "active", "revoked", "expired"];

    /// <summary>Newest first unless sorted by name (A→Z), or as <c>order</c> says.</summary>
    public bool Descending => Order != "asc" && (Order == "desc" || Sort != "name");

    /// <summary>The order this request reads the list in, as its cursors keep it (<see cref="Paging.OrderKey"/>).</summary>
    public string OrderKey => Paging.OrderKey(Sort ?? "created_at", Descending);

    public ApiError? Validate(out Cursor? cursor)
    {
        var paging = Paging.Validate(Limit, Cursor, out cursor, OrderKey);
        var details = paging?.Details.ToList() ?? [];
        QueryChoices.Check(Sort, "sort", Sorts, details);
        QueryChoices.Check(Status, "status", Statuses, details);
        QueryChoices.Check(Order, "order", Paging.Orders, details);

        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }
}

internal static class ApiKeyList
{
    public static async Task<(List<ApiKey> Page, bool HasMore)> RunAsync(
        AppDb db, ApiKeyListQuery query, Cursor? cursor, DateTime now, CancellationToken ct)
    {
        var limit = query.Limit ?? Paging.DefaultLimit;
        var page = await Ordered(Filtered(db, query, now), query, cursor).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        return (hasMore ? page[..limit] : page, hasMore);
    }

    /// <summary>
    /// The portal's numbered pages: how many keys match, and <c>Limit</c> of them from position <paramref name="skip"/>
    /// in the same order as <see cref="RunAsync"/> (an offset is fine for one tenant's keys, a few thousand at most).
    /// The docs page's one-hour test keys are left out: the keys page lists them apart.
    /// </summary>
    public static async Task<(List<ApiKey> Page, int Total)> PageAsync(
        AppDb db, ApiKeyListQuery query, int skip, DateTime now, CancellationToken ct)
    {
        var keys = Filtered(db, query, now).Where(k => !k.IsDocsKey);
        var total = await keys.CountAsync(ct);
        var page = await Ordered(keys, query, null).Skip(skip).Take(query.Limit ?? Paging.DefaultLimit).ToListAsync(ct);
        return (page, total);
    }

    private static IQueryable<ApiKey> Filtered(AppDb db, ApiKeyListQuery query, DateTime now)
    {
        var keys = db.ApiKeys.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim().ToLowerInvariant();
            keys = keys.Where(k => k.Name.ToLower().Contains(search) || k.KeyId.ToLower().StartsWith(search));
        }

        return query.Status switch
        {
            "active" => keys.Where(k => k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now)),
            "revoked" => keys.Where(k => k.RevokedAt != null),
            "expired" => keys.Where(k => k.RevokedAt == null && k.ExpiresAt != null && k.ExpiresAt <= now),
            _ => keys,
        };
    }

    private static IQueryable<ApiKey> Ordered(IQueryable<ApiKey> keys, ApiKeyListQuery query, Cursor? cursor)
    {
        var descending = query.Descending;
        return (query.Sort ?? "created_at") switch
        {
            "name" => ByName(keys, cursor, descending),
            "last_used_at" => ByLastUsed(keys, cursor, descending),
            _ => ByCreated(keys, cursor, descending),
        };
    }

    public static string CursorFor(ApiKey key, ApiKeyListQuery query) => new Cursor(query.Sort switch
    {
        "name" => key.Name,
        "last_used_at" => key.LastUsedAt?.Ticks.ToString(CultureInfo.InvariantCulture),
        _ => key.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
    }, key.Id, query.OrderKey).Encode();

    private static IQueryable<ApiKey> ByName(IQueryable<ApiKey> keys, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var (name, id) = (after.Value ?? "", after.Id);
            keys = desc
                ? keys.Where(k => k.Name.CompareTo(name) < 0 || (k.Name == name && k.Id.CompareTo(id) < 0))
                : keys.Where(k => k.Name.CompareTo(name) > 0 || (k.Name == name && k.Id.CompareTo(id) > 0));
        }

        return desc ? keys.OrderByDescending(k => k.Name).ThenByDescending(k => k.Id)
            : keys.OrderBy(k => k.Name).ThenBy(k => k.Id);
    }

    private static IQueryable<ApiKey> ByCreated(IQueryable<ApiKey> keys, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var (at, id) = (Ticks(after.Value) ?? DateTime.MinValue, after.Id);
            keys = desc
                ? keys.Where(k => k.CreatedAt < at || (k.CreatedAt == at && k.Id.CompareTo(id) < 0))
                : keys.Where(k => k.CreatedAt > at || (k.CreatedAt == at && k.Id.CompareTo(id) > 0));
        }

        return desc ? keys.OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            : keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id);
    }

    /// <summary>Never-used keys come last whichever the order, as a person scanning for stale keys expects.</summary>
    private static IQueryable<ApiKey> ByLastUsed(IQueryable<ApiKey> keys, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var id = after.Id;
            if (Ticks(after.Value) is { } at)
            {
                keys = desc
                    ? keys.Where(k => k.LastUsedAt == null || k.LastUsedAt < at || (k.LastUsedAt == at && k.Id.CompareTo(id) < 0))
                    : keys.Where(k => k.LastUsedAt == null || k.LastUsedAt > at || (k.LastUsedAt == at && k.Id.CompareTo(id) > 0));
            }
            else
            {
                keys = keys.Where(k => k.LastUsedAt == null && (desc ? k.Id.CompareTo(id) < 0 : k.Id.CompareTo(id) > 0));
            }
        }

        var nullsLast = keys.OrderBy(k => k.LastUsedAt == null ? 1 : 0);
        return desc ? nullsLast.ThenByDescending(k => k.LastUsedAt).ThenByDescending(k => k.Id)
            : nullsLast.ThenBy(k => k.LastUsedAt).ThenBy(k => k.Id);
    }

    private static DateTime? Ticks(string? value) => Cursor.TimeOf(value);
}
