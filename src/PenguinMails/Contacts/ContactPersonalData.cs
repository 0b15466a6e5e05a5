using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Suppressions;

namespace PenguinMails.Contacts;

/// <summary>
/// GDPR: GET /contacts/{id}/export answers everything held about one contact (access, Art. 15; portability,
/// Art. 20); POST /contacts/{id}/erase removes the contact and its personal data (erasure, Art. 17). Each kind
/// of data held about a contact is one section here, collected by one function and erased by another.
/// </summary>
internal static class ContactPersonalData
{
    public static RouteGroupBuilder MapPersonalData(this RouteGroupBuilder contacts)
    {
        contacts.MapGet("/{id:guid}/export", ExportAsync).WithName("exportContactData").RequirePermission(Permissions.ContactsRead)
            .WithSummary("Everything held about one contact (GDPR access and portability)");
        contacts.MapPost("/{id:guid}/erase", EraseAsync).WithName("eraseContact").RequirePermission(Permissions.ContactsDelete)
            .WithSummary("Erase a contact and its personal data (GDPR erasure)");
        return contacts;
    }

    private static async Task<Results<Ok<SuccessEnvelope<PersonalDataExport>>, ApiError>> ExportAsync(
        Guid id, AppDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var contact = await ContactEditor.FindAsync(db, id, tracked: false, ct);
        if (contact is null)
        {
            return ApiError.NotFound("Contact");
        }

        return ApiResults.Ok(http, new PersonalDataExport(time.GetUtcNow().UtcDateTime, ContactResponse.From(contact),
            await SuppressionOfAsync(db, contact, ct), await ContactMessages.ExportAsync(db, contact, ct),
            await Webhooks.WebhookPersonalData.ExportAsync(db, contact.NormalizedEmail, ct)));
    }

    /// <summary>The suppression entry of the contact's address, if any. It survives erasure (see EraseAsync).</summary>
    private static async Task<SuppressionResponse?> SuppressionOfAsync(AppDb db, Contact contact, CancellationToken ct) =>
        await db.Suppressions.AsNoTracking().Where(s => s.Email == contact.NormalizedEmail)
            .Select(s => SuppressionResponse.From(s)).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The suppression entry is kept: it is what stops mail to an address that opted out or bounced, which the
    /// GDPR allows to keep (Art. 17(3), Art. 21(3)); remove it explicitly with DELETE /suppressions/{email}.
    /// </summary>
    private static async Task<Results<Ok<SuccessEnvelope<ErasureReport>>, ApiError>> EraseAsync(
        Guid id, AppDb db, Webhooks.WebhookOutbox webhooks, HttpContext http, CancellationToken ct)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return ApiError.NotFound("Contact");
        }

        var (messages, attachments) = await ContactMessages.EraseAsync(db, contact, ct);
        var attributes = await db.ContactAttributes.Where(a => a.ContactId == id).ExecuteDeleteAsync(ct);
        var tags = await db.ContactTags.Where(t => t.ContactId == id).ExecuteDeleteAsync(ct);
        var (events, deliveries) = await Webhooks.WebhookPersonalData.EraseAsync(db, contact.NormalizedEmail, ct);
        await db.Contacts.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        await webhooks.RecordNowAsync(db, Webhooks.WebhookEvents.Erased(id, webhooks.Now), webhooks.CallerEnvironment, null, ct);
        return ApiResults.Ok(http, new ErasureReport(id, Erased: true, new Dictionary<string, int>
        {
            ["contacts"] = 1, ["attributes"] = attributes, ["tags"] = tags, ["messages_anonymised"] = messages, ["attachments"] = attachments,
            ["webhook_events"] = events, ["webhook_deliveries"] = deliveries,
        }));
    }
}

/// <summary>Everything held about one contact, at <c>exported_at</c>.</summary>
public sealed record PersonalDataExport(
    DateTime ExportedAt, ContactResponse Contact, SuppressionResponse? Suppression, List<ContactMessageExport> Messages,
    List<Webhooks.WebhookEventExport> WebhookEvents);

/// <summary>What an erasure removed, by kind of record.</summary>
public sealed record ErasureReport(Guid Id, bool Erased, IReadOnlyDictionary<string, int> Removed);
