using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PenguinMails.ApiKeys;
using PenguinMails.Campaigns;
using PenguinMails.Contacts;
using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Webhooks;

/// <summary>
/// Turns what a SaveChanges writes into webhook events in the same SaveChanges: added email events (whoever writes
/// them: delivery, intake, fan-out, tracking, ESP and bounce processing), contacts added, changed or deleted, campaign
/// status changes and API key creation, rotation and revocation. Asks <see cref="WebhookSubscriptions"/> first, so a
/// tenant without endpoints pays one cached look-up per SaveChanges.
/// </summary>
public sealed class WebhookOutboxInterceptor(WebhookOutbox outbox, WebhookSignal signal) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    /// <summary>Events were saved inside a transaction not yet committed; the next commit (of any context) wakes the dispatcher.</summary>
    private int _awaitingCommit;

    /// <summary>Contexts whose pending save staged events: the dispatcher is woken once they are committed to the context.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, object> _staged = [];

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDb db)
        {
            await StageAsync(db, cancellationToken);
        }

        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDb db)
        {
            StageAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        }

        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(SavedChanges(eventData, result));

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context is { } context && _staged.Remove(context))
        {
            if (context.Database.CurrentTransaction is null)
            {
                signal.Notify();
            }
            else
            {
                // Woken now, the dispatcher would not see the rows yet and sleep until its next poll.
                Interlocked.Exchange(ref _awaitingCommit, 1);
            }
        }

        return result;
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => AfterCommit();

    public Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommit();
        return Task.CompletedTask;
    }

    private void AfterCommit()
    {
        if (Interlocked.Exchange(ref _awaitingCommit, 0) == 1)
        {
            signal.Notify();
        }
    }

    private async Task StageAsync(AppDb db, CancellationToken ct)
    {
        var subscribed = await outbox.SubscriptionsAsync(db, ct);
        if (subscribed.Length == 0)
        {
            return;
        }

        if (db.ChangeTracker.AutoDetectChangesEnabled)
        {
            db.ChangeTracker.DetectChanges();
        }

        var before = db.ChangeTracker.Entries<WebhookEvent>().Count(e => e.State == EntityState.Added);
        var entries = db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        await StageEmailEventsAsync(db, subscribed, entries.Where(e => e is { State: EntityState.Added, Entity: EmailEvent }).Select(e => (EmailEvent)e.Entity).ToList(), ct);
        var environment = outbox.CallerEnvironment;
        foreach (var entry in entries)
        {
            switch (entry.Entity)
            {
                case Contact contact:
                    StageContact(db, subscribed, entry, contact, environment);
                    break;
                case Campaign campaign when entry.State == EntityState.Modified && entry.Property(nameof(Campaign.Status)).IsModified:
                    var previous = (CampaignStatus)entry.Property(nameof(Campaign.Status)).OriginalValue!;
                    if (previous != campaign.Status)
                    {
                        outbox.Stage(db, subscribed, WebhookEvents.CampaignChanged(campaign.Id, campaign.Name, previous, campaign.Status, outbox.Now),
                            campaign.IsTest ? WebhookEnvironment.Test : WebhookEnvironment.Live, null);
                    }

                    break;
                case ApiKey key:
                    StageKey(db, subscribed, entry, key, entries);
                    break;
            }
        }

        if (db.ChangeTracker.Entries<WebhookEvent>().Count(e => e.State == EntityState.Added) > before)
        {
            _staged.AddOrUpdate(db, this);
        }
    }

    private void StageContact(AppDb db, WebhookSubscriptions.Subscription[] subscribed, EntityEntry entry, Contact contact, WebhookEnvironment environment)
    {
        var type = entry.State switch
        {
            EntityState.Added => WebhookEventTypes.ContactCreated,
            EntityState.Deleted => WebhookEventTypes.ContactDeleted,
            _ => WebhookEventTypes.ContactUpdated,
        };
        outbox.Stage(db, subscribed, WebhookEvents.Contact(type, contact, outbox.Now), environment, contact.NormalizedEmail);
    }

    private void StageKey(AppDb db, WebhookSubscriptions.Subscription[] subscribed, EntityEntry entry, ApiKey key, List<EntityEntry> entries)
    {
        string? type = null;
        if (entry.State == EntityState.Added)
        {
            // A rotation adds the new key and marks the old one: one api_key.rotated, not a creation besides.
            var rotation = entries.Any(e => e.Entity is ApiKey old && old.ReplacedById == key.Id);
            type = rotation ? null : WebhookEventTypes.ApiKeyCreated;
        }
        else if (entry.State == EntityState.Modified && entry.Property(nameof(ApiKey.ReplacedById)).IsModified && entry.Property(nameof(ApiKey.ReplacedById)).OriginalValue is null && key.ReplacedById is not null)
        {
            type = WebhookEventTypes.ApiKeyRotated;
        }
        else if (entry.State == EntityState.Modified && entry.Property(nameof(ApiKey.RevokedAt)).IsModified && entry.Property(nameof(ApiKey.RevokedAt)).OriginalValue is null && key.RevokedAt is not null)
        {
            type = WebhookEventTypes.ApiKeyRevoked;
        }

        if (type is not null)
        {
            outbox.Stage(db, subscribed, WebhookEvents.Key(type, key, outbox.Now), key.Environment == KeyEnvironment.Test ? WebhookEnvironment.Test : WebhookEnvironment.Live, null);
        }
    }

    /// <summary>One read of the messages the events concern (those not already tracked), then an event each.</summary>
    private async Task StageEmailEventsAsync(AppDb db, WebhookSubscriptions.Subscription[] subscribed, List<EmailEvent> added, CancellationToken ct)
    {
        var published = added.Where(e => WebhookEventTypes.Of(e.Type) is { } type && subscribed.Any(s => s.Events is null || s.Events.Contains(type))).ToList();
        if (published.Count == 0)
        {
            return;
        }

        var messages = db.ChangeTracker.Entries<EmailMessage>().Select(e => e.Entity)
            .Select(m => new MessageFacts(m.Id, m.IsTest, m.From, m.Subject, m.Tags, m.CampaignId))
            .ToDictionary(m => m.Id);
        var missing = published.Select(e => e.MessageId).Distinct().Where(id => !messages.ContainsKey(id)).ToList();
        if (missing.Count > 0)
        {
            var read = await db.EmailMessages.IgnoreQueryFilters().AsNoTracking().Where(m => missing.Contains(m.Id))
                .Select(m => new MessageFacts(m.Id, m.IsTest, m.From, m.Subject, m.Tags, m.CampaignId)).ToListAsync(ct);
            foreach (var message in read)
            {
                messages[message.Id] = message;
            }
        }

        foreach (var e in published)
        {
            if (messages.TryGetValue(e.MessageId, out var message))
            {
                outbox.Stage(db, subscribed, WebhookEvents.Email(e, message), message.IsTest ? WebhookEnvironment.Test : WebhookEnvironment.Live, e.Recipient);
            }
        }
    }
}

/// <summary>What an email event's payload tells of its message.</summary>
public sealed record MessageFacts(Guid Id, bool IsTest, string From, string Subject, List<string> Tags, Guid? CampaignId);
