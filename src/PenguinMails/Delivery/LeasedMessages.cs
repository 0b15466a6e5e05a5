using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Delivery;

/// <summary>
/// A message this node holds the lease of, with its recipients, which of them are suppressed, and the DKIM signer of
/// its From domain (the tenant's most specific domain containing it; null when the tenant has none).
/// </summary>
public sealed record LeasedMessage(EmailMessage Email, IReadOnlySet<string> Suppressed, MimeKit.Cryptography.DkimSigner? Signer = null);

/// <summary>
/// Reads a claimed batch once: the messages still leased to this node with their recipients in one query, and the
/// suppressed addresses among their pending recipients in one query per tenant — so that the workers that send
/// them touch the database no more until their outcomes are recorded.
/// </summary>
public sealed class LeasedMessages(IServiceScopeFactory scopes, QueueClaims claims, Domains.DkimKeys keys)
{
    public async Task<List<LeasedMessage>> LoadAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        List<EmailMessage> emails;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            emails = await db.EmailMessages.IgnoreQueryFilters().AsNoTracking().Include(m => m.Recipients)
                .Where(m => ids.Contains(m.Id) && m.LeaseOwner == claims.Node && m.Status == EmailStatus.Sending)
                .OrderBy(m => m.NextAttemptAt).ToListAsync(ct);
        }

        var suppressed = new Dictionary<Guid, IReadOnlySet<string>>();
        var domains = new Dictionary<Guid, List<Domains.SendingDomain>>();
        foreach (var tenant in emails.GroupBy(e => e.TenantId))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant.Key);
            var pending = tenant.SelectMany(e => e.Recipients).Where(r => r.Status == RecipientStatus.Pending).Select(r => r.Email);
            suppressed[tenant.Key] = await scope.ServiceProvider.GetRequiredService<SuppressionList>().SuppressedAmongAsync(pending, ct);
            domains[tenant.Key] = await scope.ServiceProvider.GetRequiredService<AppDb>().SendingDomains.AsNoTracking().ToListAsync(ct);
        }

        return emails.Select(e => new LeasedMessage(e, suppressed[e.TenantId], SignerFor(e, domains[e.TenantId]))).ToList();
    }

    /// <summary>An unregistered subdomain signs with its nearest registered parent's key (d= that parent: relaxed alignment, RFC 7489 §3.1.1).</summary>
    private MimeKit.Cryptography.DkimSigner? SignerFor(EmailMessage email, List<Domains.SendingDomain> tenantDomains)
    {
        if (email.IsTest || Domains.DomainNames.OfAddress(email.From) is not { } host)
        {
            return null;
        }

        var domain = tenantDomains.Where(d => Domains.DomainNames.IsWithin(host, d.Name)).MaxBy(d => d.Name.Length);
        return domain is null ? null : keys.SignerFor(domain);
    }
}
