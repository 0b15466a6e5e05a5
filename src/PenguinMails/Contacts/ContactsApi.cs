using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Http.Idempotency;
using PenguinMails.OpenApi;

namespace PenguinMails.Contacts;

/// <summary>/api/v1/contacts: upsert by address, list, read, edit, delete; tags, import/export and GDPR in their files.</summary>
public static class ContactsApi
{
    public static IServiceCollection AddContacts(this IServiceCollection services) =>
        services.AddScoped<ContactUpserter>().AddScoped<ContactEditor>()
            .AddScoped<ContactStatusSync>().AddScoped<ContactSuppressions>();

    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var contacts = app.MapGroup("/api/v1/contacts").WithTags("Contacts");
        contacts.MapPost("/", Upsert).WithName("upsertContact").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.ContactsWrite).WithIdempotency()
            .WithSummary("Add or update a contact by email (201 created, 200 updated)");
        contacts.MapGet("/", List).WithName("listContacts").WithMetadata(new QueryParameterPrefix("attribute[", "attribute[key]")).RequirePermission(Permissions.ContactsRead).WithSummary("List contacts");
        contacts.MapGet("/tags", ContactTags.ListAsync).WithName("listContactTags").RequirePermission(Permissions.ContactsRead)
            .WithSummary("List tags with the number of contacts holding each");
        contacts.MapGet("/{id:guid}", Get).WithName("getContact").RequirePermission(Permissions.ContactsRead).WithSummary("Get a contact");
        contacts.MapPatch("/{id:guid}", Update).WithName("updateContact").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.ContactsWrite).WithSummary("Edit a contact");
        contacts.MapDelete("/{id:guid}", Delete).WithName("deleteContact").RequirePermission(Permissions.ContactsDelete).WithSummary("Delete a contact");
        contacts.MapContactImport();
        contacts.MapContactExport();
        contacts.MapPersonalData();
        return app;
    }

    private static async Task<Results<Created<SuccessEnvelope<ContactResponse>>, Ok<SuccessEnvelope<ContactResponse>>, ApiError>> Upsert(
        UpsertContactRequest request, ContactUpserter upserter, HttpContext http, CancellationToken ct)
    {
        var outcome = (await upserter.UpsertAsync([(1, request)], ct))[0];
        if (outcome.Failed)
        {
            return ApiError.Conflict(outcome.Errors[0]);
        }

        var body = ContactResponse.From(outcome.Contact!) with { Created = outcome.Created };
        return outcome.Created
            ? ApiResults.Created(http, $"/api/v1/contacts/{body.Id}", body)
            : ApiResults.Ok(http, body);
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<ContactResponse>>>, ApiError>> List(
        [AsParameters] ContactListQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(http.Request.Query, out var filter, out var cursor) is { } invalid)
        {
            return invalid;
        }

        var (page, hasMore) = await ContactPaging.RunAsync(db, query, filter, cursor, ct);
        var next = hasMore ? ContactPaging.CursorFor(page[^1], query) : null;
        return ApiResults.Ok(http, page.Select(ContactResponse.From).ToList(),
            new PageInfo(query.Limit ?? Paging.DefaultLimit, hasMore, next));
    }

    private static async Task<Results<Ok<SuccessEnvelope<ContactResponse>>, ApiError>> Get(
        Guid id, AppDb db, HttpContext http, CancellationToken ct)
    {
        var contact = await ContactEditor.FindAsync(db, id, tracked: false, ct);
        return contact is null ? ApiError.NotFound("Contact") : ApiResults.Ok(http, ContactResponse.From(contact));
    }

    private static async Task<Results<Ok<SuccessEnvelope<ContactResponse>>, ApiError>> Update(
        Guid id, UpdateContactRequest request, ContactEditor editor, HttpContext http, CancellationToken ct)
    {
        var (contact, error) = await editor.UpdateAsync(id, request, ct);
        return error is null ? ApiResults.Ok(http, ContactResponse.From(contact!)) : error;
    }

    private static async Task<Results<Ok<SuccessEnvelope<DeletedContactResponse>>, ApiError>> Delete(
        Guid id, AppDb db, Webhooks.WebhookOutbox webhooks, HttpContext http, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct); // the contact.deleted event commits with the deletion
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null || await db.Contacts.Where(c => c.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            return ApiError.NotFound("Contact");
        }

        await webhooks.RecordNowAsync(db, Webhooks.WebhookEvents.Contact(Webhooks.WebhookEventTypes.ContactDeleted, contact, webhooks.Now),
            webhooks.CallerEnvironment, contact.NormalizedEmail, ct);
        await tx.CommitAsync(ct);
        return ApiResults.Ok(http, new DeletedContactResponse(id, Deleted: true));
    }
}
