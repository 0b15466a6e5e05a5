using System.Data.Common;
using PenguinMails.Data;
using PenguinMails.Webhooks;

namespace PenguinMails.Contacts;

/// <summary>
/// Saves an upsert batch with its new contacts — and their attributes and tags — written set-based
/// (<see cref="BulkInsert"/>: multi-row INSERTs on SQLite, binary COPY on PostgreSQL) and the rest (changes to
/// existing contacts) by SaveChanges, in one transaction (issue 16: an import of new rows was bound by the change
/// tracker). Their <c>contact.created</c> webhook events are staged as the outbox interceptor stages tracked ones.
/// </summary>
internal static class NewContactRows
{
    /// <summary>
    /// Saves every pending change of <paramref name="db"/>. A unique violation of the bulk part (another writer added
    /// the same address meanwhile) is raised as a <see cref="DbUpdateException"/>, as SaveChanges would raise it, so
    /// that callers retry the batch alike.
    /// </summary>
    public static async Task SaveAsync(AppDb db, WebhookOutbox outbox, CancellationToken ct)
    {
        var tenant = db.CurrentTenantId ?? throw new InvalidOperationException("Contacts are saved inside a tenant scope.");
        db.ChangeTracker.DetectChanges();
        var contacts = db.ChangeTracker.Entries<Contact>().Where(e => e.State == EntityState.Added).ToList();
        if (contacts.Count == 0)
        {
            await db.SaveChangesAsync(ct);
            return;
        }

        var isNew = contacts.Select(e => e.Entity.Id).ToHashSet();
        var attributes = db.ChangeTracker.Entries<ContactAttributeValue>().Where(e => e.State == EntityState.Added && isNew.Contains(e.Entity.ContactId)).ToList();
        var tags = db.ChangeTracker.Entries<ContactTag>().Where(e => e.State == EntityState.Added && isNew.Contains(e.Entity.ContactId)).ToList();
        contacts.ForEach(e => e.Entity.TenantId = tenant);
        attributes.ForEach(e => e.Entity.TenantId = tenant);
        tags.ForEach(e => e.Entity.TenantId = tenant);
        var subscribed = await outbox.SubscriptionsAsync(db, ct);
        foreach (var entry in contacts)
        {
            outbox.Stage(db, subscribed, WebhookEvents.Contact(WebhookEventTypes.ContactCreated, entry.Entity, outbox.Now),
                outbox.CallerEnvironment, entry.Entity.NormalizedEmail);
        }

        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            try
            {
                await BulkInsert.WriteAsync(db, contacts.ConvertAll(e => e.Entity), ct);
                await BulkInsert.WriteAsync(db, attributes.ConvertAll(e => e.Entity), ct);
                await BulkInsert.WriteAsync(db, tags.ConvertAll(e => e.Entity), ct);
            }
            catch (DbException e)
            {
                throw new DbUpdateException("A new contact's row conflicts with a stored one.", e);
            }

            // Written: the tracker lets go of them, so that SaveChanges neither writes them again nor stages a
            // contact.updated for them (marked Unchanged instead, EF still saw the new contacts as modified).
            contacts.Concat<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry>(attributes).Concat(tags).ToList()
                .ForEach(e => e.State = EntityState.Detached);
            await db.SaveChangesAsync(ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
            }
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }
}
