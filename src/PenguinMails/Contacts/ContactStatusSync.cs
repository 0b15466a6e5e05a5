using PenguinMails.Data;
using PenguinMails.Suppressions;

namespace PenguinMails.Contacts;

/// <summary>
/// The suppression list's side of keeping contacts in step with it: <see cref="SuppressionList"/> calls
/// <see cref="OnSuppressedAsync"/> whenever it adds an address, and the contact with that address (if any) takes
/// the matching status. A subscribed contact takes any; an unsubscribed one becomes bounced or complained; a
/// bounced or complained one stays as it is (the worse news is kept).
/// </summary>
public sealed class ContactStatusSync(AppDb db, TimeProvider time, Webhooks.WebhookOutbox webhooks)
{
    public static ContactStatus StatusFor(SuppressionReason reason) => reason switch
    {
        SuppressionReason.HardBounce => ContactStatus.Bounced,
        SuppressionReason.Complaint => ContactStatus.Complained,
        _ => ContactStatus.Unsubscribed,
    };

    public static SuppressionReason? ReasonFor(ContactStatus status) => status switch
    {
        ContactStatus.Bounced => SuppressionReason.HardBounce,
        ContactStatus.Complained => SuppressionReason.Complaint,
        ContactStatus.Unsubscribed => SuppressionReason.Unsubscribe,
        _ => null,
    };

    public async Task OnSuppressedAsync(string email, SuppressionReason reason, CancellationToken ct)
    {
        var normalized = ContactRules.Normalize(email);
        var status = StatusFor(reason);
        var now = time.GetUtcNow().UtcDateTime;
        var changing = db.Contacts.Where(c => c.NormalizedEmail == normalized && c.Status != status
            && (c.Status == ContactStatus.Subscribed || (c.Status == ContactStatus.Unsubscribed && status != ContactStatus.Unsubscribed)));
        var contact = (await webhooks.SubscriptionsAsync(db, ct)).Length > 0 ? await changing.AsNoTracking().FirstOrDefaultAsync(ct) : null;
        if (await changing.ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, status).SetProperty(c => c.UpdatedAt, now), ct) > 0 && contact is not null)
        {
            (contact.Status, contact.UpdatedAt) = (status, now);
            await webhooks.RecordNowAsync(db, Webhooks.WebhookEvents.Contact(Webhooks.WebhookEventTypes.ContactUpdated, contact, now),
                webhooks.CallerEnvironment, contact.NormalizedEmail, ct);
        }
    }
}

/// <summary>A contact whose status a write changed: the suppression list follows after the contact is saved.</summary>
public sealed record StatusChange(string Email, ContactStatus Status);

/// <summary>
/// The contacts' side: what the suppression list says about addresses being written, and bringing it in step after
/// a status change. unsubscribed, bounced and complained add the address (reason unsubscribe, hard_bounce,
/// complaint; an address already listed keeps its first reason); subscribed removes it, which
/// <see cref="ContactStatusRule"/> allows for a manual or unsubscribe entry, and for a hard bounce or complaint only
/// with force.
/// </summary>
public sealed class ContactSuppressions(AppDb db, SuppressionList suppressions)
{
    public async Task<Dictionary<string, SuppressionReason>> ReasonsAsync(List<string> normalizedEmails, CancellationToken ct) =>
        await db.Suppressions.AsNoTracking().Where(s => EF.Parameter(normalizedEmails).Contains(s.Email))
            .ToDictionaryAsync(s => s.Email, s => s.Reason, StringComparer.Ordinal, ct);

    /// <summary>A non-subscribed contact whose address is not listed, or an explicit re-subscription of a listed one.</summary>
    public static bool NeedsFollowing(ContactStatus status, SuppressionReason? suppressed, bool resubscribed) =>
        status == ContactStatus.Subscribed ? resubscribed && suppressed is not null : suppressed is null;

    public async Task FollowAsync(IEnumerable<StatusChange> changes, CancellationToken ct)
    {
        foreach (var change in changes)
        {
            if (ContactStatusSync.ReasonFor(change.Status) is { } reason)
            {
                await suppressions.AddOrKeepAsync(change.Email, reason, "contacts", null, ct);
            }
            else
            {
                await suppressions.RemoveAsync(change.Email, ct);
            }
        }
    }
}
