using Microsoft.Extensions.Options;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Domains;

/// <summary>
/// The current tenant's queued mail from a failed domain (or a subdomain of it): held — never dropped — while the
/// domain is failed, back in the queue with a fresh delivery deadline once it is verified again, cancelled when the
/// domain is deleted. A message a dispatcher is already delivering finishes its attempt; a paused campaign's
/// message stays held for its campaign.
/// </summary>
public sealed class DomainHolds(AppDb db, IOptions<PenguinMailsOptions> options, TimeProvider time)
{
    public Task<int> HoldAsync(string domain, CancellationToken ct) =>
        From(domain).Where(m => m.Status == EmailStatus.Queued || m.Status == EmailStatus.Deferred)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Held).SetProperty(m => m.DomainHold, true), ct);

    public async Task<int> ReleaseAsync(string domain, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var deadline = now.AddHours(options.Value.Delivery.DeadlineHours);
        var held = From(domain).Where(m => m.Status == EmailStatus.Held && m.DomainHold);
        var paused = db.Campaigns.Where(c => c.Status == CampaignStatus.Paused).Select(c => (Guid?)c.Id);
        await held.Where(m => paused.Contains(m.CampaignId)).ExecuteUpdateAsync(s => s.SetProperty(m => m.DomainHold, false), ct);
        return await held.ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, EmailStatus.Queued).SetProperty(m => m.DomainHold, false)
            .SetProperty(m => m.NextAttemptAt, now).SetProperty(m => m.DeliverBy, deadline), ct);
    }

    public async Task CancelAsync(string domain, CancellationToken ct)
    {
        var held = From(domain).Where(m => m.Status == EmailStatus.Held && m.DomainHold);
        await db.EmailRecipients.Where(r => r.Status == RecipientStatus.Pending && held.Any(m => m.Id == r.MessageId))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Cancelled), ct);
        await held.ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Cancelled).SetProperty(m => m.DomainHold, false), ct);
    }

    /// <summary>Messages whose From address is at <paramref name="domain"/> or below it (by whole labels).</summary>
    private IQueryable<EmailMessage> From(string domain)
    {
        string at = "@" + domain, atBracket = at + ">", dot = "." + domain, dotBracket = dot + ">";
        return db.EmailMessages.Where(m => m.From.ToLower().EndsWith(at) || m.From.ToLower().EndsWith(atBracket)
            || m.From.ToLower().EndsWith(dot) || m.From.ToLower().EndsWith(dotBracket)); // a stored From always ends in its address
    }
}
