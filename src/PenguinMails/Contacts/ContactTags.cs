using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Contacts;

/// <summary>GET /contacts/tags: every tag of the tenant with the number of contacts holding it, most used first.</summary>
internal static class ContactTags
{
    public static async Task<Ok<SuccessEnvelope<List<TagCount>>>> ListAsync(AppDb db, HttpContext http, CancellationToken ct)
    {
        var tags = await db.ContactTags.GroupBy(t => t.Tag)
            .Select(g => new { Tag = g.Key, Count = g.Count() })
            .OrderByDescending(t => t.Count).ThenBy(t => t.Tag)
            .ToListAsync(ct);
        return ApiResults.Ok(http, tags.Select(t => new TagCount(t.Tag, t.Count)).ToList());
    }
}
