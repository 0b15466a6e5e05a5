using System.Globalization;
using System.Text.Json;
using CsvHelper;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;

namespace PenguinMails.Contacts;

/// <summary>
/// GET /contacts/export: every contact of the tenant as CSV, read and written a page at a time so that memory does
/// not grow with the list. The columns are those the import reads, so an export imports back unchanged (attribute
/// values that are not strings come out as JSON text and go back in as strings).
/// </summary>
internal static class ContactExport
{
    private const int PageSize = 1000;
    private static readonly string[] Fixed = ["id", "email", "first_name", "last_name", "status", "tags", "created_at", "updated_at"];

    public static RouteGroupBuilder MapContactExport(this RouteGroupBuilder contacts)
    {
        contacts.MapGet("/export", ExportAsync).WithName("exportContacts").RequirePermission(Permissions.ContactsRead)
            .Produces(200, contentType: "text/csv").WithSummary("Export all contacts as CSV (streamed; bom=true starts it with a UTF-8 byte order mark)");
        return contacts;
    }

    // bom=true starts the file with a UTF-8 byte order mark: Excel reads a CSV without one in the machine's legacy
    // code page and mangles every accent. Off by default, since many other readers take it for part of the first column.
    private static async Task ExportAsync(HttpContext http, AppDb db, CancellationToken ct, bool bom = false)
    {
        var keys = await db.ContactAttributes.Select(a => a.Key).Distinct().OrderBy(k => k).ToListAsync(ct);
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"contacts.csv\"";
        await using var csv = CsvWriter.Create(http.Response.Body, CsvWriterOptions.Default with { WriteByteOrderMark = bom }, leaveOpen: true);
        csv.WriteHeader([.. Fixed, .. keys.Select(ColumnFor)]);
        Guid? after = null;
        while (true)
        {
            var page = await Page(db, after, ct);
            foreach (var contact in page)
            {
                Write(csv, contact, keys);
                await csv.EndRecordAsync(ct);
            }

            await csv.FlushAsync(ct);
            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }
    }

    private static async Task<List<Contact>> Page(AppDb db, Guid? after, CancellationToken ct)
    {
        var contacts = db.Contacts.AsNoTracking();
        if (after is { } id)
        {
            contacts = contacts.Where(c => c.Id.CompareTo(id) > 0);
        }

        return await ContactDetails.LoadAsync(db, await contacts.OrderBy(c => c.Id).Take(PageSize).ToListAsync(ct), tracked: false, ct);
    }

    private static void Write(CsvWriter csv, Contact contact, List<string> keys)
    {
        csv.WriteField(contact.Id.ToString());
        csv.WriteField(contact.Email);
        csv.WriteField(contact.FirstName ?? "");
        csv.WriteField(contact.LastName ?? "");
        csv.WriteField(ContactRules.StatusName(contact.Status));
        csv.WriteField(string.Join(ContactRules.TagSeparators[0], contact.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal)));
        csv.WriteField(contact.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
        csv.WriteField(contact.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
        var values = contact.Attributes.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            csv.WriteField(values.TryGetValue(key, out var value) ? Cell(value) : "");
        }
    }

    private static string Cell(string stored) =>
        stored.StartsWith('"') ? JsonSerializer.Deserialize<string>(stored) ?? "" : stored;

    /// <summary>An attribute whose name is a column of its own, or could be read as one, is written as attributes.NAME.</summary>
    private static string ColumnFor(string key) =>
        CsvContactReader.Known.Concat(CsvContactReader.Ignored).Contains(key.Trim().ToLowerInvariant())
        || key.StartsWith(CsvContactReader.AttributePrefix, StringComparison.OrdinalIgnoreCase) || key != key.Trim()
            ? CsvContactReader.AttributePrefix + key
            : key;
}
