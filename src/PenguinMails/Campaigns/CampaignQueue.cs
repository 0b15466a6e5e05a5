using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Campaigns;

/// <summary>
/// What a campaign's status change does to its messages not yet taken by a dispatcher: a pause holds them (held
/// messages are never claimed), a resume puts them back in the queue with their due time, a cancel cancels them
/// and their pending recipients. A message a dispatcher is already delivering finishes its attempt.
/// </summary>
internal static class CampaignQueue
{
    public static async Task ApplyAsync(AppDb db, Guid campaignId, CampaignStatus to, CancellationToken ct)
    {
        var mine = db.EmailMessages.Where(m => m.CampaignId == campaignId);
        switch (to)
        {
            case CampaignStatus.Paused:
                await mine.Where(m => m.Status == EmailStatus.Queued || m.Status == EmailStatus.Deferred)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Held), ct);
                break;
            case CampaignStatus.Sending:
                await mine.Where(m => m.Status == EmailStatus.Held && !m.DomainHold) // a failed domain's mail waits for the domain
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Queued), ct);
                break;
            case CampaignStatus.Cancelled:
                await mine.Where(m => m.Status == EmailStatus.Queued || m.Status == EmailStatus.Deferred || m.Status == EmailStatus.Held)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, EmailStatus.Cancelled), ct);
                await db.EmailRecipients
                    .Where(r => r.Status == RecipientStatus.Pending
                        && db.EmailMessages.Any(m => m.Id == r.MessageId && m.CampaignId == campaignId && m.Status == EmailStatus.Cancelled))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Cancelled), ct);
                break;
        }
    }
}
