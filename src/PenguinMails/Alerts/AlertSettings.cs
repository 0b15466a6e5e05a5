using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Alerts;

/// <summary>A per-tenant alert threshold: its name, what it means, the values it may take, and its installation default.</summary>
public sealed record AlertSetting(string Name, string Description, int Min, int Max, Func<AlertOptions, int> Default);

/// <summary>
/// The thresholds a tenant may have of its own (<c>penguinmails tenants set-alerts --set NAME=VALUE</c>), each with its
/// default in <see cref="AlertOptions"/>. An alert that needs a threshold adds it to <see cref="All"/>.
/// </summary>
public static class AlertSettings
{
    public static readonly AlertSetting RateLimitRefusals = new("rate_limit_refusals",
        "refused requests (429) in the window that make an alert", 1, 1_000_000, o => o.RateLimitRefusals);

    public static readonly AlertSetting RateLimitWindowMinutes = new("rate_limit_window_minutes",
        "the window refusals are counted over, in minutes", 1, 1440, o => o.RateLimitWindowMinutes);

    public static readonly AlertSetting ErrorRatePercent = new("error_rate_percent",
        "the share of requests answered with an error (status 400 or more) that makes an alert, in percent", 1, 100, o => o.ErrorRatePercent);

    public static readonly AlertSetting ErrorRateMinRequests = new("error_rate_min_requests",
        "the fewest requests in the window for the error rate to count", 1, 1_000_000, o => o.ErrorRateMinRequests);

    public static readonly AlertSetting ErrorRateWindowMinutes = new("error_rate_window_minutes",
        "the window the error rate is measured over, in minutes", 1, 1440, o => o.ErrorRateWindowMinutes);

    public static readonly IReadOnlyList<AlertSetting> All =
        [RateLimitRefusals, RateLimitWindowMinutes, ErrorRatePercent, ErrorRateMinRequests, ErrorRateWindowMinutes];

    public static AlertSetting? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// One tenant's thresholds in force: its own where it has one, else the installation's default — held within the
/// setting's range, so a default configured as 0 cannot make every quiet window an alert.
/// </summary>
public sealed class TenantAlertThresholds(IReadOnlyDictionary<string, int> own, AlertOptions defaults)
{
    public int this[AlertSetting setting] =>
        Math.Clamp(own.TryGetValue(setting.Name, out var value) ? value : setting.Default(defaults), setting.Min, setting.Max);

    /// <summary>Whether the tenant has its own value for <paramref name="setting"/>.</summary>
    public bool IsOwn(AlertSetting setting) => own.ContainsKey(setting.Name);

    /// <summary>The current tenant's thresholds (the scope must have entered it).</summary>
    public static async Task<TenantAlertThresholds> LoadAsync(AppDb db, IOptions<PenguinMailsOptions> options, CancellationToken ct)
    {
        var own = await db.TenantAlertSettings.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Value, ct);
        return new(own, options.Value.Alerts);
    }
}
