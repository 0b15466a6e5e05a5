using System.Text.Json;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;

namespace PenguinMails.Domains;

/// <summary>
/// Checks a domain's records in DNS and moves its status (issue 13 "Rules"): every required record found →
/// <c>verified</c> (a failed domain's held mail resumes); a required record definitely missing keeps a pending domain
/// pending, and a verified one fails only once it has been missing for <see cref="DomainOptions.FailAfterHours"/>
/// (its queued mail is then held and the tenant's admins are mailed, once). A <c>dns_error</c> concludes nothing. A
/// rotation's new key, once found, becomes the signing key. Operator-managed domains are never failed.
/// </summary>
public sealed class DomainVerifier(AppDb db, DnsChecker dns, DomainHolds holds, DomainFailureAlert alert, WriteGate gate,
    IOptions<PenguinMailsOptions> options, TimeProvider time)
{
    public async Task<List<DnsRecordCheck>> VerifyAsync(SendingDomain domain, CancellationToken ct)
    {
        var settings = options.Value.Domains;
        var checks = await dns.CheckAsync(DomainRecords.Expected(domain, settings), ct);
        var now = time.GetUtcNow().UtcDateTime;
        if (checks.FirstOrDefault(c => c.Purpose == "dkim_next") is { Status: DnsRecordCheck.FoundStatus } next)
        {
            domain.DkimSelector = domain.PendingSelector!;
            domain.DkimPublicKey = domain.PendingPublicKey!;
            domain.DkimPrivateKey = domain.PendingPrivateKey!;
            (domain.PendingSelector, domain.PendingPublicKey, domain.PendingPrivateKey) = (null, null, null);
            checks = [.. checks.Where(c => c.Purpose != "dkim" && c.Purpose != "dkim_next").Prepend(next with { Purpose = "dkim", Required = true })];
        }

        var required = checks.Where(c => c.Required).ToList();
        var absent = required.Any(c => c.Status is DnsRecordCheck.Missing or DnsRecordCheck.Mismatch);
        var present = required.All(c => c.Status == DnsRecordCheck.FoundStatus);
        var was = domain.Status;
        if (present)
        {
            domain.Status = DomainStatus.Verified;
            domain.VerifiedAt = was == DomainStatus.Verified ? domain.VerifiedAt : now;
            (domain.AbsentSince, domain.FailedAt) = (null, null);
        }
        else if (absent && was == DomainStatus.Verified && !domain.OperatorManaged)
        {
            domain.AbsentSince ??= now;
            if (now - domain.AbsentSince.Value >= TimeSpan.FromHours(settings.FailAfterHours))
            {
                (domain.Status, domain.FailedAt) = (DomainStatus.Failed, now);
            }
        }

        domain.LastCheckedAt = now;
        domain.LastCheckJson = JsonSerializer.Serialize(checks);
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            if (domain.Status == DomainStatus.Failed)
            {
                await holds.HoldAsync(domain.Name, ct); // again on every check: a campaign may have queued more since
            }
            else if (was == DomainStatus.Failed && domain.Status == DomainStatus.Verified)
            {
                await holds.ReleaseAsync(domain.Name, ct);
            }

            await tx.CommitAsync(ct);
        }

        if (domain.Status == DomainStatus.Failed)
        {
            await alert.SendOnceAsync(domain, checks, ct);
        }

        return checks;
    }

    /// <summary>The last check's records, or the expected ones (status <c>unchecked</c>) before the first.</summary>
    public static List<DnsRecordCheck> LastChecks(SendingDomain domain, DomainOptions options)
    {
        var expected = DomainRecords.Expected(domain, options);
        var last = domain.LastCheckJson is null ? [] : JsonSerializer.Deserialize<List<DnsRecordCheck>>(domain.LastCheckJson) ?? [];
        return expected.Select(e => last.FirstOrDefault(l => l.Purpose == e.Purpose && l.Host == e.Host && l.Expected == e.Expected) ?? e).ToList();
    }
}
