using System.Text.Json;
using PenguinMails.Data;

namespace PenguinMails.Contacts;

/// <summary>
/// The merge rules, applied to a tracked contact. Names: absent stays, empty clears. Attributes: each top-level key
/// sent replaces the stored value (objects are not merged deeply), a key sent as null is removed, keys not sent
/// stay. Tags: added, replaced or removed as a set, lower-case.
/// </summary>
internal static class ContactChanges
{
    public static void Apply(AppDb db, Contact contact, string? firstName, string? lastName,
        IReadOnlyDictionary<string, JsonElement>? attributes)
    {
        if (firstName is not null)
        {
            contact.FirstName = Blank(firstName);
        }

        if (lastName is not null)
        {
            contact.LastName = Blank(lastName);
        }

        foreach (var (key, value) in attributes ?? new Dictionary<string, JsonElement>())
        {
            var stored = contact.Attributes.FirstOrDefault(a => a.Key == key);
            var encoded = ContactRules.Encode(value);
            if (encoded is null)
            {
                if (stored is not null)
                {
                    contact.Attributes.Remove(stored);
                    db.Remove(stored);
                }
            }
            else if (stored is null)
            {
                var added = new ContactAttributeValue { ContactId = contact.Id, Key = key, Value = encoded };
                contact.Attributes.Add(added);
                db.Add(added);
            }
            else
            {
                stored.Value = encoded;
            }
        }
    }

    public static void AddTags(AppDb db, Contact contact, IEnumerable<string>? tags)
    {
        foreach (var tag in (tags ?? []).Select(ContactRules.NormalizeTag).Distinct())
        {
            if (!contact.Tags.Any(t => t.Tag == tag))
            {
                var added = new ContactTag { ContactId = contact.Id, Tag = tag };
                contact.Tags.Add(added);
                db.Add(added);
            }
        }
    }

    /// <summary>PATCH: <paramref name="replace"/> (or the current tags) plus <paramref name="add"/> minus <paramref name="remove"/>.</summary>
    public static void ChangeTags(AppDb db, Contact contact, IEnumerable<string>? replace, IEnumerable<string>? add, IEnumerable<string>? remove)
    {
        var wanted = (replace ?? contact.Tags.Select(t => t.Tag)).Concat(add ?? []).Select(ContactRules.NormalizeTag)
            .Except((remove ?? []).Select(ContactRules.NormalizeTag), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        foreach (var tag in contact.Tags.Where(t => !wanted.Contains(t.Tag)).ToList())
        {
            contact.Tags.Remove(tag);
            db.Remove(tag);
        }

        AddTags(db, contact, wanted);
    }

    private static string? Blank(string value) => value.Trim() is { Length: > 0 } trimmed ? trimmed : null;
}
