using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Delivery;

/// <summary>A message this node holds the lease of, with its recipients and which of them are suppressed.</summary>
public sealed record LeasedMessage(EmailMessage Email, IReadOnlySet<string> Suppressed);

/// <summary>
/// Reads a claimed batch once: the messages still leased to this node with their recipients in one query, and the
/// suppressed addresses among their pending recipients in one query per tenant — so that the workers that send
/// them touch the database no more until their outcomes are recorded.
/// </summary>
public sealed class LeasedMessages(IServiceScopeFactory scopes, QueueClaims claims)
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
        foreach (var tenant in emails.GroupBy(e => e.TenantId))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant.Key);
            var pending = tenant.SelectMany(e => e.Recipients).Where(r => r.Status == RecipientStatus.Pending).Select(r => r.Email);
            suppressed[tenant.Key] = await scope.ServiceProvider.GetRequiredService<SuppressionList>().SuppressedAmongAsync(pending, ct);
        }

        return emails.Select(e => new LeasedMessage(e, suppressed[e.TenantId])).ToList();
    }
}
