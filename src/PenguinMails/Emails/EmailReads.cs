using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Emails;

/// <summary>Reading emails: one with its timeline, or a filtered page, newest first.</summary>
internal static class EmailReads
{
    public static async Task<Results<Ok<SuccessEnvelope<EmailView>>, ApiError>> GetAsync(
        string id, AppDb db, HttpContext http, CancellationToken ct) =>
        EmailIds.Parse(id) is { } messageId && await ViewAsync(db, messageId, ct) is { } view
            ? ApiResults.Ok(http, view)
            : ApiError.NotFound("Email");

    /// <summary>The message, its recipients, events, attempts and attachments as one moment (<see cref="ReadSnapshot"/>); null when absent.</summary>
    public static Task<EmailView?> ViewAsync(AppDb db, Guid id, CancellationToken ct) =>
        db.InSnapshotAsync(() => ReadViewAsync(db, id, ct), ct);

    private static async Task<EmailView?> ReadViewAsync(AppDb db, Guid id, CancellationToken ct)
    {
        var message = await db.EmailMessages.AsNoTracking().Include(m => m.Recipients).FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null)
        {
            return null;
        }

        var events = await db.EmailEvents.AsNoTracking().Where(e => e.MessageId == id).OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(ct);
        var attempts = await db.DeliveryAttempts.AsNoTracking().Where(a => a.MessageId == id).OrderBy(a => a.Number).ToListAsync(ct);
        var attachments = await db.EmailAttachments.AsNoTracking().Where(a => a.MessageId == id).OrderBy(a => a.Index)
            .Select(a => new AttachmentView(a.Filename, a.ContentType, a.Size, a.ContentId, a.ContentDeletedAt)).ToListAsync(ct);
        return EmailViewMapper.From(message, events, attempts, attachments);
    }

    public static async Task<Results<Ok<SuccessEnvelope<List<EmailSummary>>>, ApiError>> ListAsync(
        [AsParameters] EmailListQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (EmailLog.Validate(query, out var filter, out var cursor) is { } invalid)
        {
            return invalid;
        }

        var limit = query.Limit ?? Paging.DefaultLimit;
        var (page, next) = await EmailLog.PageAsync(db, filter, cursor, limit, ct);
        return ApiResults.Ok(http, page.Select(EmailSummary.Of).ToList(), new PageInfo(limit, next is not null, next));
    }
}
