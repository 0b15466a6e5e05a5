using PenguinMails.Data;

namespace PenguinMails.Contacts;

/// <summary>
/// Loads the attributes and tags of some contacts by their ids (primary-key prefix lookups). Include() would join
/// every attribute row of the tenant before filtering on SQLite, which grows with the tenant's contacts.
/// </summary>
internal static class ContactDetails
{
    public static async Task<List<Contact>> LoadAsync(AppDb db, List<Contact> contacts, bool tracked, CancellationToken ct)
    {
        if (contacts.Count == 0)
        {
            return contacts;
        }

        var ids = contacts.Select(c => c.Id).ToList();
        var attributes = db.ContactAttributes.Where(a => EF.Parameter(ids).Contains(a.ContactId));
        var tags = db.ContactTags.Where(t => EF.Parameter(ids).Contains(t.ContactId));
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
