using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>A key of the current tenant that stops working within <see cref="KeyExpiry.Horizon"/> (UTC instant).</summary>
public sealed record ExpiringKey(Guid Id, string Name, string KeyId, DateTime ExpiresAt);

/// <summary>
/// The dashboard's expiry warning (api-access-routes.md §7 "Key Expiration": a warning 7 days before). Docs keys (one hour by design) and keys already
/// rotated are left out: they end 24 hours after their rotation by design, and their replacement is what matters.
/// </summary>
public static class KeyExpiry
{
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(7);

    /// <summary>How many keys the banner names; it counts the rest.</summary>
    public const int Listed = 5;

    /// <summary>The soonest-ending keys (at most <see cref="Listed"/>) and how many there are in all.</summary>
    public static async Task<(List<ExpiringKey> Keys, int Total)> SoonAsync(AppDb db, DateTime now, CancellationToken ct)
    {
        var until = now + Horizon;
        var soon = db.ApiKeys.AsNoTracking().Where(k => !k.IsDocsKey && k.RevokedAt == null && k.ReplacedById == null
            && k.ExpiresAt != null && k.ExpiresAt > now && k.ExpiresAt <= until);
        var total = await soon.CountAsync(ct);
        var keys = total == 0 ? [] : await soon.OrderBy(k => k.ExpiresAt).ThenBy(k => k.Id).Take(Listed)
            .Select(k => new ExpiringKey(k.Id, k.Name, k.KeyId, k.ExpiresAt!.Value)).ToListAsync(ct);
        return (keys, total);
    }

    /// <summary>"in 3 days", "in 5 hours", "in 12 minutes", "in less than a minute" (to the nearest unit: a 5-day key just created says 5 days).</summary>
    public static string In(DateTime at, DateTime now)
    {
        var left = at - now;
        return left.TotalMinutes < 1 ? "in less than a minute"
            : left.TotalHours < 1 ? Plural(Nearest(left.TotalMinutes), "minute")
            : left.TotalDays < 1 ? Plural(Nearest(left.TotalHours), "hour")
            : Plural(Nearest(left.TotalDays), "day");
    }

    private static int Nearest(double value) => (int)Math.Round(value, MidpointRounding.AwayFromZero);

    private static string Plural(int n, string unit) => n == 1 ? $"in 1 {unit}" : $"in {n} {unit}s";
}
