using System.Globalization;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Contacts;

/// <summary>Keyset pages of contacts in one of three orders, the id breaking ties.</summary>
internal static class ContactPaging
{
    public static async Task<(List<Contact> Page, bool HasMore)> RunAsync(
        AppDb db, ContactListQuery query, ContactFilter filter, Cursor? cursor, CancellationToken ct)
    {
        var contacts = filter.Apply(db, db.Contacts.AsNoTracking());
        var descending = query.Descending;
        var limit = query.Limit ?? Paging.DefaultLimit;
        var ordered = (query.Sort ?? "created_at") switch
        {
            "email" => ByEmail(contacts, cursor, descending),
            "updated_at" => ByUpdated(contacts, cursor, descending),
            _ => ByCreated(contacts, cursor, descending),
        };
        var page = await ContactDetails.LoadAsync(db, await ordered.Take(limit + 1).ToListAsync(ct), tracked: false, ct);
        var hasMore = page.Count > limit;
        return (hasMore ? page[..limit] : page, hasMore);
    }

    public static string CursorFor(Contact contact, ContactListQuery query) => new Cursor(query.Sort switch
    {
        "email" => contact.NormalizedEmail,
        "updated_at" => contact.UpdatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
        _ => contact.CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture),
    }, contact.Id, query.OrderKey).Encode();

    private static IQueryable<Contact> ByEmail(IQueryable<Contact> contacts, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var email = after.Value ?? "";
            contacts = desc
                ? contacts.Where(c => c.NormalizedEmail.CompareTo(email) < 0)
                : contacts.Where(c => c.NormalizedEmail.CompareTo(email) > 0);
        }

        return desc ? contacts.OrderByDescending(c => c.NormalizedEmail) : contacts.OrderBy(c => c.NormalizedEmail);
    }

    private static IQueryable<Contact> ByCreated(IQueryable<Contact> contacts, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var (at, id) = (Ticks(after.Value), after.Id);
            contacts = desc
                ? contacts.Where(c => c.CreatedAt < at || (c.CreatedAt == at && c.Id.CompareTo(id) < 0))
                : contacts.Where(c => c.CreatedAt > at || (c.CreatedAt == at && c.Id.CompareTo(id) > 0));
        }

        return desc ? contacts.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            : contacts.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id);
    }

    private static IQueryable<Contact> ByUpdated(IQueryable<Contact> contacts, Cursor? after, bool desc)
    {
        if (after is not null)
        {
            var (at, id) = (Ticks(after.Value), after.Id);
            contacts = desc
                ? contacts.Where(c => c.UpdatedAt < at || (c.UpdatedAt == at && c.Id.CompareTo(id) < 0))
                : contacts.Where(c => c.UpdatedAt > at || (c.UpdatedAt == at && c.Id.CompareTo(id) > 0));
        }

        return desc ? contacts.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            : contacts.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id);
    }

    private static DateTime Ticks(string? value) => Cursor.TimeOf(value) ?? DateTime.MinValue;
}
