using PenguinMails.ApiKeys;
using PenguinMails.Campaigns;
using PenguinMails.Contacts;
using PenguinMails.Emails;

namespace PenguinMails.Webhooks;

/// <summary>The payload of each kind of event, from the rows that caused it.</summary>
public static class WebhookEvents
{
    public static EmailWebhookPayload Email(EmailEvent e, MessageFacts message) =>
        new(WebhookEventTypes.Of(e.Type)!, e.At, new EmailEventData(EmailIds.Format(message.Id), e.Recipient, message.From, message.Subject,
            message.Tags, message.CampaignId is { } campaign ? CampaignIds.Format(campaign) : null, message.IsTest)
        {
            Detail = e.Type == EmailEventType.Clicked ? null : e.Detail,
            Url = e.Type == EmailEventType.Clicked ? e.Detail : null,
        });

    public static ContactWebhookPayload Contact(string type, Contact contact, DateTime now) =>
        new(type, now, new ContactEventData(contact.Id)
        {
            Email = contact.Email, FirstName = contact.FirstName, LastName = contact.LastName,
            Status = contact.Status.ToString().ToLowerInvariant(),
        });

    /// <summary>After an erasure: the id only, so that the payload holds nothing of the person.</summary>
    public static ContactWebhookPayload Erased(Guid id, DateTime now) =>
        new(WebhookEventTypes.ContactDeleted, now, new ContactEventData(id) { Erased = true });

    /// <summary><paramref name="reason"/>: why the server made the change (<see cref="Campaign.StatusReason"/>); null for a caller's.</summary>
    public static CampaignWebhookPayload CampaignChanged(Guid id, string name, CampaignStatus from, CampaignStatus to, DateTime now, string? reason = null) =>
        new(WebhookEventTypes.CampaignStatusChanged, now,
            new CampaignEventData(CampaignIds.Format(id), name, from.ToString().ToLowerInvariant(), to.ToString().ToLowerInvariant()) { StatusReason = reason });

    public static ApiKeyWebhookPayload Key(string type, ApiKey key, DateTime now) =>
        new(type, now, new ApiKeyEventData(key.Id, key.Name, key.KeyId, key.Environment.ToString().ToLowerInvariant(), key.ExpiresAt)
        {
            ReplacedBy = key.ReplacedById,
        });

    public static TestWebhookPayload Test(Guid endpointId, DateTime now) =>
        new(WebhookEventTypes.WebhookTest, now, new TestEventData(endpointId, "This is a test event sent from PenguinMails."));
}

/// <summary>Wakes this node's webhook dispatcher when events were staged (see Delivery.DispatchSignal).</summary>
public sealed class WebhookSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
