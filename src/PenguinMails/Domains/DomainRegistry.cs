using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Domains;

/// <summary>Why a domain cannot be added: the name is not acceptable (<c>Invalid</c>) or someone holds it (<c>Conflict</c>).</summary>
public sealed record DomainRefusal(bool Conflict, string Message);

/// <summary>
/// Adds, rotates and deletes the current tenant's sending domains. A domain and its subdomains belong to one tenant:
/// adding a name that another tenant holds, or a parent or subdomain of one it holds, is refused. That check reads
/// across tenants, so it and the insert run under one lock (the write gate on SQLite, an advisory transaction lock
/// on PostgreSQL) and two tenants racing for one name cannot both win.
/// </summary>
public sealed class DomainRegistry(AppDb db, WriteGate gate, DkimKeys keys, Tenancy.TenantContext tenant, TimeProvider time,
    VerifiedDomainCache verified)
{
    private const long AddLock = 0x70_6d_64_6f_6d; // "pmdom"

    public async Task<(SendingDomain? Domain, DomainRefusal? Refusal)> AddAsync(string? input, bool operatorManaged, CancellationToken ct)
    {
        if (DomainNames.Normalize(input, out var error) is not { } name)
        {
            return (null, new DomainRefusal(false, error));
        }

        var key = keys.Create();
        var now = time.GetUtcNow().UtcDateTime;
        var domain = new SendingDomain
        {
            TenantId = tenant.TenantId!.Value, Name = name, OperatorManaged = operatorManaged, CreatedAt = now,
            DkimSelector = key.Selector, DkimPublicKey = key.PublicKey, DkimPrivateKey = key.ProtectedPrivateKey,
            Status = operatorManaged ? DomainStatus.Verified : DomainStatus.Pending, VerifiedAt = operatorManaged ? now : null,
        };
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db is PostgresAppDb)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AddLock})", ct);
            }

            if (await HolderAsync(name, ct) is { } refusal)
            {
                return (null, refusal);
            }

            db.SendingDomains.Add(domain);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return (domain, null);
    }

    /// <summary>Publishes a new key beside the current one; <see cref="DomainVerifier"/> switches to it once DNS shows it.</summary>
    public async Task RotateAsync(SendingDomain domain, CancellationToken ct)
    {
        var key = keys.Create(avoid: domain.DkimSelector);
        domain.PendingSelector = key.Selector;
        domain.PendingPublicKey = key.PublicKey;
        domain.PendingPrivateKey = key.ProtectedPrivateKey;
        using (await gate.EnterAsync(db, ct))
        {
            await db.SaveChangesAsync(ct);
        }
    }

    /// <summary>Deletes the domain and cancels the mail held for it: nothing would ever release it.</summary>
    public async Task DeleteAsync(SendingDomain domain, DomainHolds holds, CancellationToken ct)
    {
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await holds.CancelAsync(domain.Name, ct);
            await db.SendingDomains.Where(d => d.Id == domain.Id).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
        }

        verified.Forget(domain.TenantId); // a set-based delete: the interceptor does not see it
    }

    private async Task<DomainRefusal?> HolderAsync(string name, CancellationToken ct)
    {
        var parents = DomainNames.SelfAndParents(name);
        var suffix = "." + name;
        var holders = await db.SendingDomains.IgnoreQueryFilters()
            .Where(d => parents.Contains(d.Name) || d.Name.EndsWith(suffix))
            .Select(d => new { d.TenantId, d.Name }).ToListAsync(ct);
        var mine = tenant.TenantId!.Value;
        if (holders.Any(h => h.TenantId == mine && h.Name == name))
        {
            return new DomainRefusal(true, $"{name} is already one of this account's sending domains.");
        }

        return holders.FirstOrDefault(h => h.TenantId != mine) is { } other
            ? new DomainRefusal(true, other.Name == name
                ? $"{name} is registered by another account on this server. A domain and its subdomains belong to one account; ask the operator if it is yours."
                : $"{name} overlaps {other.Name}, which another account on this server has registered. A domain and its subdomains belong to one account.")
            : null;
    }
}
