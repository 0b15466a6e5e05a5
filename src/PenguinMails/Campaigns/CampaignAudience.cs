using PenguinMails.Contacts;
using PenguinMails.Data;

namespace PenguinMails.Campaigns;

/// <summary>
/// The audience rule: subscribed contacts (unsubscribed, bounced and complained ones never) that have any of the
/// campaign's tags, or all subscribed contacts when it names none; read in pages by contact id.
/// </summary>
public static class CampaignAudience
{
    public static IQueryable<Contact> Of(AppDb db, Campaign campaign)
    {
        var contacts = db.Contacts.Where(c => c.Status == ContactStatus.Subscribed);
        var tags = campaign.AudienceTags;
        return tags.Count == 0 ? contacts
            : contacts.Where(c => db.ContactTags.Any(t => t.ContactId == c.Id && tags.Contains(t.Tag)));
    }

    /// <summary>The next <paramref name="size"/> contacts after the campaign's cursor, with their attributes.</summary>
    public static async Task<List<AudienceContact>> NextAsync(AppDb db, Campaign campaign, int size, CancellationToken ct)
    {
        var contacts = Of(db, campaign).AsNoTracking();
        if (campaign.FanOutCursor is { } after)
        {
            contacts = contacts.Where(c => c.Id.CompareTo(after) > 0);
        }

        var pageQuery = contacts.OrderBy(c => c.Id).Take(size);
        var page = await pageQuery.Select(c => new AudienceContact(c.Id, c.Email, c.FirstName, c.LastName)).ToListAsync(ct);
        if (page.Count == 0)
        {
            return page;
        }

        // The page's query again, joined to the attributes: SQLite then walks the page and finds each contact's
        // attributes by the primary key. Asked as "contact_id IN (the page's ids)" — 1,000 parameters or a subquery —
        // it read every attribute of the tenant by (tenant_id, key, value) instead: 45 ms a page against 5.
        var byId = page.ToDictionary(c => c.Id);
        var attributes = await pageQuery
            .Join(db.ContactAttributes.AsNoTracking(), c => c.Id, a => a.ContactId, (c, a) => new { a.ContactId, a.Key, a.Value })
            .ToListAsync(ct);
        foreach (var attribute in attributes)
        {
            if (byId.TryGetValue(attribute.ContactId, out var contact))
            {
                contact.Attributes[attribute.Key] = attribute.Value;
            }
        }

        return page;
    }
}
