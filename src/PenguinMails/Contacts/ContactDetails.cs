using PenguinMails.Data;

namespace PenguinMails.Contacts;

/// <summary>
/// Loads the attributes and tags of some contacts by their ids (primary-key prefix lookups), in time that does not
/// grow with the tenant's contacts; Include() joined every attribute row of the tenant on SQLite.
/// </summary>
internal static class ContactDetails
{
    public static async Task<List<Contact>> LoadAsync(AppDb db, List<Contact> contacts, bool tracked, CancellationToken ct)
    {
        if (contacts.Count == 0)
        {
            return contacts;
        }

        // The ids come from a tenant-filtered query, so the tenant filter is dropped here on purpose: with it,
        // SQLite's planner picks the (tenant_id, ...) index and reads every attribute row of the tenant.
        var ids = contacts.Select(c => c.Id).ToList();
        var attributes = db.ContactAttributes.IgnoreQueryFilters().Where(a => EF.Parameter(ids).Contains(a.ContactId));
        var tags = db.ContactTags.IgnoreQueryFilters().Where(t => EF.Parameter(ids).Contains(t.ContactId));
        if (tracked)
        {
            // Tracked rows are attached to their tracked contacts' collections by EF Core's fix-up.
            await attributes.LoadAsync(ct);
            await tags.LoadAsync(ct);
            return contacts;
        }

        var byId = contacts.ToDictionary(c => c.Id);
        foreach (var attribute in await attributes.AsNoTracking().ToListAsync(ct))
        {
            byId[attribute.ContactId].Attributes.Add(attribute);
        }

        foreach (var tag in await tags.AsNoTracking().ToListAsync(ct))
        {
            byId[tag.ContactId].Tags.Add(tag);
        }

        return contacts;
    }
}
