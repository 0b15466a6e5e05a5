using System.Globalization;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Emails;

/// <summary>GET /emails filters; time stamps stay text until <see cref="Timestamps"/> reads them (a zone is required).</summary>
public sealed record EmailListQuery(
    string? Status, string? Tag, string? Recipient,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "created_after")] string? CreatedAfter,
    [property: Microsoft.AspNetCore.Mvc.FromQuery(Name = "created_before")] string? CreatedBefore,
    int? Limit, string? Cursor);

/// <summary>Reading emails: one with its timeline, or a filtered page, newest first.</summary>
internal static class EmailReads
{
    public static async Task<Results<Ok<SuccessEnvelope<EmailView>>, ApiError>> GetAsync(
        string id, AppDb db, HttpContext http, CancellationToken ct) =>
        EmailIds.Parse(id) is { } messageId && await ViewAsync(db, messageId, ct) is { } view
            ? ApiResults.Ok(http, view)
            : ApiError.NotFound("Email");

    public static async Task<EmailView?> ViewAsync(AppDb db, Guid id, CancellationToken ct)
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
        var details = Paging.Validate(query.Limit, query.Cursor, out var cursor)?.Details.ToList() ?? [];
        EmailStatus? status = null;
        if (query.Status is not null)
        {
            if (Enum.TryParse<EmailStatus>(query.Status, ignoreCase: true, out var parsed) && !int.TryParse(query.Status, out _))
            {
                status = parsed;
            }
            else
            {
                details.Add(new ErrorDetail("status", $"status must be one of {string.Join(", ", Enum.GetNames<EmailStatus>().Select(n => n.ToLowerInvariant()))}."));
            }
        }

        var createdAfter = Timestamps.FromQuery("created_after", query.CreatedAfter, details);
        var createdBefore = Timestamps.FromQuery("created_before", query.CreatedBefore, details);
        if (details.Count > 0)
        {
            return new ApiError(ErrorCodes.ValidationError, null, details);
        }

        var emails = db.EmailMessages.AsNoTracking().Include(m => m.Recipients).AsQueryable();
        if (status is { } s)
        {
            emails = emails.Where(m => m.Status == s);
        }

        if (query.Tag is { Length: > 0 } tag)
        {
            emails = emails.Where(m => m.Tags.Contains(tag));
        }

        if (query.Recipient is { Length: > 0 } recipient)
        {
            var email = recipient.Trim().ToLowerInvariant();
            emails = emails.Where(m => m.Recipients.Any(r => r.Email == email));
        }

        if (createdAfter is { } after)
        {
            emails = emails.Where(m => m.CreatedAt >= after);
        }

        if (createdBefore is { } before)
        {
            emails = emails.Where(m => m.CreatedAt < before);
        }

        if (cursor is not null && long.TryParse(cursor.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            var (at, id) = (new DateTime(ticks, DateTimeKind.Utc), cursor.Id);
            emails = emails.Where(m => m.CreatedAt < at || (m.CreatedAt == at && m.Id.CompareTo(id) < 0));
        }

        var limit = query.Limit ?? Paging.DefaultLimit;
        var page = await emails.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        page = hasMore ? page[..limit] : page;
        var next = hasMore ? new Cursor(page[^1].CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), page[^1].Id).Encode() : null;
        return ApiResults.Ok(http, page.Select(EmailSummary.Of).ToList(), new PageInfo(limit, hasMore, next));
    }
}
