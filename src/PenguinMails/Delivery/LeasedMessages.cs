using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Delivery;

/// <summary>
/// A message this node holds the lease of, with its recipients, which of them are suppressed, the DKIM signer of
/// its From domain (the tenant's most specific domain containing it; null when the tenant has none), and the domain of
/// its per-recipient return path (Bounces/ReturnPaths; null = the From address is the envelope sender).
/// </summary>
public sealed record LeasedMessage(EmailMessage Email, IReadOnlySet<string> Suppressed, MimeKit.Cryptography.DkimSigner? Signer = null,
    string? ReturnPathDomain = null);

/// <summary>
/// Reads a claimed batch once: the messages still leased to this node with their recipients in one query, and the
/// suppressed addresses among their pending recipients in one query per tenant — so that the workers that send
/// them touch the database no more until their outcomes are recorded.
/// </summary>
public sealed class LeasedMessages(IServiceScopeFactory scopes, QueueClaims claims, Domains.DkimKeys keys, Bounces.ReturnPaths returnPaths)
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

        return emails.Select(e =>
        {
            var domain = SenderDomain(e, domains[e.TenantId]);
            return new LeasedMessage(e, suppressed[e.TenantId], domain is null ? null : keys.SignerFor(domain), returnPaths.DomainFor(domain));
        }).ToList();
    }

    /// <summary>An unregistered subdomain signs with its nearest registered parent's key (d= that parent: relaxed alignment, RFC 7489 §3.1.1).</summary>
    private static Domains.SendingDomain? SenderDomain(EmailMessage email, List<Domains.SendingDomain> tenantDomains) =>
        email.IsTest || Domains.DomainNames.OfAddress(email.From) is not { } host
            ? null
            : tenantDomains.Where(d => Domains.DomainNames.IsWithin(host, d.Name)).MaxBy(d => d.Name.Length);
}
