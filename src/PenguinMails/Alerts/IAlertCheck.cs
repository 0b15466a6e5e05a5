using PenguinMails.Tenancy;

namespace PenguinMails.Alerts;

/// <summary>What one pass of the alert job looks at for one tenant: the tenant, the time, its thresholds.</summary>
public sealed record AlertRun(Tenant Tenant, DateTime Now, TenantAlertThresholds Thresholds);

/// <summary>
/// One kind of alert. <see cref="TenantsToCheckAsync"/> (in a scope that entered no tenant) names the tenants that may
/// have one due, in one query over all tenants, so an idle installation costs a query per check and not per tenant;
/// <see cref="RunAsync"/> (in a scope that entered one of them) finds what is due and sends it through
/// <see cref="AlertOutbox.SendOnceAsync"/>, which makes a second pass (or a second node) send nothing. Registered
/// scoped in <see cref="AlertsExtensions"/>.
/// </summary>
public interface IAlertCheck
{
    Task<List<Guid>> TenantsToCheckAsync(DateTime now, CancellationToken ct);

    Task RunAsync(AlertRun run, CancellationToken ct);
}
