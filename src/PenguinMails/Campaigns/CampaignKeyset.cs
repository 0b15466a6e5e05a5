using System.Linq.Expressions;
using PenguinMails.Http;

namespace PenguinMails.Campaigns;

/// <summary>Keyset ordering and "after the cursor" filters for the campaign list; rows without the sort time come last.</summary>
internal static class CampaignKeyset
{
    private static readonly System.Reflection.MethodInfo CompareGuid = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;

    public static IQueryable<Campaign> ByName(IQueryable<Campaign> campaigns, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var (name, id) = (after.Value ?? "", after.Id);
            campaigns = desc
                ? campaigns.Where(c => c.Name.CompareTo(name) < 0 || (c.Name == name && c.Id.CompareTo(id) < 0))
                : campaigns.Where(c => c.Name.CompareTo(name) > 0 || (c.Name == name && c.Id.CompareTo(id) > 0));
        }

        return desc ? campaigns.OrderByDescending(c => c.Name).ThenByDescending(c => c.Id)
            : campaigns.OrderBy(c => c.Name).ThenBy(c => c.Id);
    }

    public static IQueryable<Campaign> ByTime(IQueryable<Campaign> campaigns, Expression<Func<Campaign, DateTime?>> key, Cursor? after, bool desc)
    {
        var row = key.Parameters[0];
        var value = key.Body;
        var isNull = Expression.Equal(value, Expression.Constant(null, typeof(DateTime?)));
        if (after is not null)
        {
            var idOrder = Expression.Call(Expression.Property(row, nameof(Campaign.Id)), CompareGuid, Expression.Constant(after.Id));
            var idBeyond = desc ? Expression.LessThan(idOrder, Expression.Constant(0)) : Expression.GreaterThan(idOrder, Expression.Constant(0));
            Expression filter;
            if (Ticks(after.Value) is { } ticks)
            {
                var at = Expression.Constant(ticks, typeof(DateTime?));
                var beyond = desc ? Expression.LessThan(value, at) : Expression.GreaterThan(value, at);
                filter = Expression.OrElse(isNull, Expression.OrElse(beyond, Expression.AndAlso(Expression.Equal(value, at), idBeyond)));
            }
            else
            {
                filter = Expression.AndAlso(isNull, idBeyond);
            }

            campaigns = campaigns.Where(Expression.Lambda<Func<Campaign, bool>>(filter, row));
        }

        var nullsLast = campaigns.OrderBy(Expression.Lambda<Func<Campaign, int>>(
            Expression.Condition(isNull, Expression.Constant(1), Expression.Constant(0)), row));
        return desc ? nullsLast.ThenByDescending(key).ThenByDescending(c => c.Id) : nullsLast.ThenBy(key).ThenBy(c => c.Id);
    }

    private static DateTime? Ticks(string? value) => Cursor.TimeOf(value);
}
