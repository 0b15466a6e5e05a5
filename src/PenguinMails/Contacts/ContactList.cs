using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Contacts;

/// <summary>
/// GET /contacts: filters (status, tag, <c>attribute[key]=value</c>, created_after/created_before, search in the
/// address), sort by created_at, updated_at or email, keyset pagination.
/// </summary>
public sealed record ContactListQuery(
    [property: OneOf(typeof(ContactStatus))] string? Status, string? Tag, string? Search,
    [property: FromQuery(Name = "created_after")] string? CreatedAfter,
    [property: FromQuery(Name = "created_before")] string? CreatedBefore,
    [property: OneOf(typeof(ContactListQuery), nameof(ContactListQuery.Sorts))] string? Sort,
    [property: OneOf(typeof(Paging), nameof(Paging.Orders))] string? Order,
    int? Limit, string? Cursor)
{
    public static readonly string[] Sorts = ["created_at", "updated_at", "email"];
    public const int MaxAttributeFilters = 10;

    /// <summary>Newest first unless sorted by email (A→Z), or as <c>order</c> says.</summary>
    public bool Descending => Order == "desc" || (Order is null && Sort != "email");

    /// <summary>The order this request reads the list in, as its cursors keep it (<see cref="Paging.OrderKey"/>).</summary>
    public string OrderKey => Paging.OrderKey(Sort ?? "created_at", Descending);

    public ApiError? Validate(IQueryCollection query, out ContactFilter filter, out Cursor? cursor)
    {
        var details = Paging.Validate(Limit, Cursor, out cursor, OrderKey)?.Details.ToList() ?? [];
        if (cursor is { Time: null } && Sort is null or "created_at" or "updated_at")
        {
            cursor = null; // every contact has both times: its cursors always hold one
            details.Add(new ErrorDetail("cursor", "cursor is not one this API returned; start again without it."));
        }

        QueryChoices.Check(Sort, "sort", Sorts, details);
        QueryChoices.Check(Order, "order", Paging.Orders, details);
        var status = QueryChoices.Check<ContactStatus>(Status, "status", details);

        var (after, before) = Timestamps.WindowFromQuery("created_after", CreatedAfter, "created_before", CreatedBefore, details);
        var attributes = query.Where(q => q.Key.StartsWith("attribute[", StringComparison.Ordinal) && q.Key.EndsWith(']'))
            .Select(q => (Key: q.Key["attribute[".Length..^1], Value: q.Value.ToString())).ToList();
        if (attributes.Count > MaxAttributeFilters || attributes.Any(a => a.Key.Length == 0))
        {
            details.Add(new ErrorDetail("attribute", $"Up to {MaxAttributeFilters} filters attribute[key]=value, each with a key."));
        }

        filter = new ContactFilter(status, string.IsNullOrWhiteSpace(Tag) ? null : ContactRules.NormalizeTag(Tag),
            Search is null ? null : Domains.DomainNames.UnicodeLabels(Search.Trim().ToLowerInvariant()), after, before, attributes);
        return details.Count == 0 ? null : new ApiError(ErrorCodes.ValidationError, null, details);
    }
}

public sealed record ContactFilter(
    ContactStatus? Status, string? Tag, string? Search, DateTime? CreatedAfter, DateTime? CreatedBefore,
    IReadOnlyList<(string Key, string Value)> Attributes)
{
    public IQueryable<Contact> Apply(AppDb db, IQueryable<Contact> contacts)
    {
        if (Status is { } status)
        {
            contacts = contacts.Where(c => c.Status == status);
        }

        if (Tag is { } tag)
        {
            contacts = contacts.Where(c => c.Tags.Any(t => t.Tag == tag));
        }

        if (!string.IsNullOrEmpty(Search))
        {
            var search = Search;
            contacts = contacts.Where(c => c.NormalizedEmail.Contains(search));
        }

        if (CreatedAfter is { } after)
        {
            contacts = contacts.Where(c => c.CreatedAt >= after);
        }

        if (CreatedBefore is { } before)
        {
            contacts = contacts.Where(c => c.CreatedAt < before);
        }

        foreach (var (key, value) in Attributes)
        {
            var (asString, asLiteral) = Candidates(value);
            contacts = contacts.Where(c => db.ContactAttributes.Any(a =>
                a.ContactId == c.Id && a.Key == key && (a.Value == asString || a.Value == asLiteral)));
        }

        return contacts;
    }

    /// <summary>attribute[age]=30 matches the number 30 and the string "30"; attribute[vip]=true the boolean too.</summary>
    private static (string AsString, string AsLiteral) Candidates(string value)
    {
        var asString = ContactRules.EncodeString(value);
        try
        {
            using var literal = JsonDocument.Parse(value);
            return literal.RootElement.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? (asString, ContactRules.Encode(literal.RootElement)!)
                : (asString, asString);
        }
        catch (JsonException)
        {
            return (asString, asString);
        }
    }
}
