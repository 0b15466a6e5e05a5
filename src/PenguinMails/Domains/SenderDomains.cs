using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Domains;

/// <summary>
/// The sender rule (DECISIONS.md "Sending"): mail sent with a live key must come from an address at one of the
/// current tenant's verified domains or a subdomain of one, matched by whole labels, so <c>bank.example.evil.example</c>
/// and <c>evilbank.example</c> are not <c>bank.example</c>. Test keys are exempt: they never deliver.
/// </summary>
public sealed class SenderDomains(Lazy<AppDb> db, Tenancy.TenantContext tenant, VerifiedDomainCache cache)
{

    /// <summary>Null when <paramref name="from"/> (an address or <c>Name &lt;address&gt;</c>) may be used; else the 403 to answer.</summary>
    public async Task<ApiError?> CheckAsync(string from, string field, CancellationToken ct)
    {
        var host = DomainNames.OfAddress(from.Trim());
        var verified = tenant.TenantId is { } tenantId ? await cache.GetAsync(db, tenantId, ct) : [];
        return host is not null && verified.Any(d => DomainNames.IsWithin(host, d)) ? null : Refusal(host ?? from, field);
    }

    public static ApiError Refusal(string host, string field) => new(ErrorCodes.SenderDomainNotVerified,
        $"'{host}' is not a verified sending domain of this account, so live keys cannot send from it. " +
        "Add it with POST /api/v1/domains (or Settings → Domains in the dashboard), publish the DNS records it lists, " +
        "then verify it with POST /api/v1/domains/{id}/verify. Test keys (pm_test_) may send from any address.",
        [new ErrorDetail(field, $"{host} is not a verified sending domain of this account.")]);
}
