using PenguinMails.Tenancy;

namespace PenguinMails.Alerts;

/// <summary>What one pass of the alert job looks at for one tenant: the tenant, the time, its thresholds.</summary>
public sealed record AlertRun(Tenant Tenant, DateTime Now, TenantAlertThresholds Thresholds);

/// <summary>
/// One kind of alert: finds what is due for the tenant the scope has entered and sends it through
/// <see cref="AlertOutbox.SendOnceAsync"/>, which makes a second pass (or a second node) send nothing. Registered
/// scoped in <see cref="AlertsExtensions"/>; <see cref="AlertJob"/> runs each in a scope of its own per tenant.
/// </summary>
public interface IAlertCheck
{
    Task RunAsync(AlertRun run, CancellationToken ct);
}
