using PenguinMails.Data;
using PenguinMails.Users;

namespace PenguinMails.Alerts;

/// <summary>
/// Who an alert goes to, as lower-cased addresses without duplicates: the current tenant's admins, and for a key the
/// portal user who created it (<c>ApiKey.CreatedBy</c> = <c>user:ADDRESS</c>) while that person is still a member of
/// the tenant. Keys made with the API or the CLI have no person behind them; their alerts go to the admins.
/// </summary>
public sealed class AlertRecipients(AppDb db)
{
    private const string PortalActor = "user:";

    public async Task<List<string>> AdminsAsync(CancellationToken ct)
    {
        var admins = await db.Memberships.Where(m => m.Role == UserRole.Admin)
            .Join(db.Accounts, m => m.AccountId, a => a.Id, (_, a) => a.Email)
            .ToListAsync(ct);
        return Distinct(admins);
    }

    /// <summary>The admins and, when it is a current member's, the key's creator.</summary>
    public async Task<List<string>> ForKeyAsync(string createdBy, CancellationToken ct)
    {
        var people = await AdminsAsync(ct);
        if (createdBy.StartsWith(PortalActor, StringComparison.Ordinal))
        {
            var address = createdBy[PortalActor.Length..].Trim().ToLowerInvariant();
            var member = await db.Memberships
                .Join(db.Accounts, m => m.AccountId, a => a.Id, (_, a) => a.Email)
                .AnyAsync(e => e == address, ct);
            if (member)
            {
                people.Insert(0, address);
            }
        }

        return Distinct(people);
    }

    private static List<string> Distinct(IEnumerable<string?> addresses) =>
        addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!.Trim().ToLowerInvariant()).Distinct().ToList();
}
