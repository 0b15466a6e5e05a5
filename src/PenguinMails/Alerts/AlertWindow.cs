using PenguinMails.Data;

namespace PenguinMails.Alerts;

/// <summary>
/// The window a threshold alert counts over (rate limit, error rate): the completed minutes [<see cref="From"/>,
/// <see cref="To"/>) ending at the current minute, a window long but never reaching back into what the previous alert
/// of its kind covered (so nothing is reported twice); and the window-long <see cref="Slot"/> of the clock that allows
/// one alert.
/// </summary>
public readonly record struct AlertWindow(DateTime From, DateTime To, DateTime Slot)
{
    /// <summary>The window at <paramref name="now"/>, or null when this slot's alert of <paramref name="kind"/> was already sent.</summary>
    public static async Task<AlertWindow?> OpenAsync(AlertOutbox outbox, string kind, string subject, DateTime now, TimeSpan window, CancellationToken ct)
    {
        var to = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc);
        var slot = new DateTime(to.Ticks - to.Ticks % window.Ticks, DateTimeKind.Utc);
        if (await outbox.WasSentAsync(kind, subject, slot, ct))
        {
            return null;
        }

        var from = to - window;
        if (await outbox.LatestAsync(kind, subject, ct) is { } previous && previous.CoveredUntil > from)
        {
            from = previous.CoveredUntil;
        }

        return new AlertWindow(from, to, slot);
    }

    /// <summary>
    /// A minute before the start of the longest window any tenant (or the installation's default) counts over with
    /// <paramref name="setting"/>: where the job's one query over all tenants looks for candidates.
    /// </summary>
    public static async Task<DateTime> EarliestStartAsync(AppDb db, AlertSetting setting, AlertOptions defaults, DateTime now, CancellationToken ct)
    {
        var longest = await db.TenantAlertSettings.IgnoreQueryFilters().Where(s => s.Name == setting.Name)
            .MaxAsync(s => (int?)s.Value, ct) ?? 0;
        var minutes = Math.Clamp(Math.Max(longest, setting.Default(defaults)), setting.Min, setting.Max);
        return now.AddMinutes(-minutes - 1);
    }
}
