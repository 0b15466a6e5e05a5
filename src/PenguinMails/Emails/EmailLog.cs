using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using PenguinMails.Campaigns;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Emails;

/// <summary>
/// GET /emails filters, as the API reads them from the query string and the portal's email log from its URL. Time stamps
/// stay text until <see cref="EmailLog.Validate"/> reads them (RFC 3339, a zone is required). <c>environment</c> is
/// <c>live</c> or <c>test</c>: whether the message was sent with a <c>pm_test_</c> key (<see cref="EmailMessage.IsTest"/>; a
/// campaign's messages carry the environment of the key that started the campaign). <c>campaign_id</c> is a campaign's <c>cmp_…</c> id.
/// </summary>
public sealed record EmailListQuery(
    [property: Description("Only emails in this status."), OneOf(typeof(EmailStatus))]
    string? Status,
    [property: Description("Only emails carrying this tag (exact match).")]
    string? Tag,
    [property: Description("Only emails addressed (to, cc or bcc) to this address; case does not matter.")]
    string? Recipient,
    [property: FromQuery(Name = "campaign_id"), Description("Only the messages of this campaign (cmp_…).")]
    string? CampaignId,
    [property: Description("live: sent with a pm_live_ key (or by a campaign started with one); test: with a pm_test_ key (simulated, never delivered)."),
        OneOf(typeof(EmailLog), nameof(EmailLog.Environments))]
    string? Environment,
    [property: FromQuery(Name = "created_after"), Description("Created at or after this instant (RFC 3339 with a zone).")]
    string? CreatedAfter,
    [property: FromQuery(Name = "created_before"), Description("Created before this instant (RFC 3339 with a zone).")]
    string? CreatedBefore,
    int? Limit, string? Cursor);

/// <summary>The filters of <see cref="EmailListQuery"/> once read: every one optional, all of them combined with AND.</summary>
public sealed record EmailLogFilter(
    EmailStatus? Status, string? Tag, string? Recipient, Guid? CampaignId, bool? Test, DateTime? CreatedAfter, DateTime? CreatedBefore);

/// <summary>
/// The email log: a tenant's messages newest first (created_at, then id), a keyset page at a time, so a page stays
/// stable while new mail arrives. Shared by <c>GET /api/v1/emails</c> and the portal's <c>/dashboard/emails</c>.
/// </summary>
public static class EmailLog
{
    public static readonly string[] Environments = ["live", "test"];

    /// <summary>The query's errors in the API's envelope (<c>VALIDATION_ERROR</c>, one detail per field), or null and the filter.</summary>
    public static ApiError? Validate(EmailListQuery query, out EmailLogFilter filter, out Cursor? cursor)
    {
        var details = Paging.ValidateByTime(query.Limit, query.Cursor, out cursor)?.Details.ToList() ?? [];
        var status = QueryChoices.Check<EmailStatus>(query.Status, "status", details);

        Guid? campaign = null;
        if (query.CampaignId is not null)
        {
            campaign = CampaignIds.Parse(query.CampaignId);
            if (campaign is null)
            {
                details.Add(new ErrorDetail("campaign_id", "campaign_id must be a campaign id: cmp_ and 32 hexadecimal digits."));
            }
        }

        if (!string.IsNullOrWhiteSpace(query.Recipient) && !Contacts.ContactRules.IsEmail(query.Recipient.Trim()))
        {
            // As a malformed campaign_id: a filter that can match nothing is a mistake to name, not an empty page.
            details.Add(new ErrorDetail("recipient", "recipient must be one email address (name@example.com)."));
        }

        bool? test = QueryChoices.Check(query.Environment, "environment", Environments, details) is { } environment ? environment == "test" : null;

        var (createdAfter, createdBefore) = Timestamps.WindowFromQuery("created_after", query.CreatedAfter, "created_before", query.CreatedBefore, details);
        filter = new EmailLogFilter(status, string.IsNullOrEmpty(query.Tag) ? null : query.Tag,
            string.IsNullOrWhiteSpace(query.Recipient) ? null : Contacts.ContactRules.Normalize(query.Recipient), campaign, test, createdAfter, createdBefore);
        return details.Count > 0 ? new ApiError(ErrorCodes.ValidationError, null, details) : null;
    }

    /// <summary>One page after <paramref name="after"/>, with its recipients; <c>Next</c> is the cursor of the following page, or null at the end.</summary>
    public static async Task<(List<EmailMessage> Page, string? Next)> PageAsync(
        AppDb db, EmailLogFilter filter, Cursor? after, int limit, CancellationToken ct)
    {
        var emails = Filtered(db, filter).Include(m => m.Recipients).AsQueryable();
        if (after is { Time: { } at })
        {
            var id = after.Id;
            emails = emails.Where(m => m.CreatedAt < at || (m.CreatedAt == at && m.Id.CompareTo(id) < 0));
        }

        var page = await emails.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(limit + 1).AsSplitQuery().ToListAsync(ct);
        var hasMore = page.Count > limit;
        page = hasMore ? page[..limit] : page;
        return (page, hasMore ? Cursor.At(page[^1].CreatedAt, page[^1].Id).Encode() : null);
    }

    private static IQueryable<EmailMessage> Filtered(AppDb db, EmailLogFilter filter)
    {
        var emails = db.EmailMessages.AsNoTracking();
        if (filter.Status is { } s)
        {
            emails = emails.Where(m => m.Status == s);
        }

        if (filter.Tag is { } tag)
        {
            emails = emails.Where(m => m.Tags.Contains(tag));
        }

        if (filter.Recipient is { } email)
        {
            emails = emails.Where(m => db.EmailRecipients.Any(r => r.MessageId == m.Id && r.Email == email));
        }

        if (filter.CampaignId is { } campaign)
        {
            emails = emails.Where(m => m.CampaignId == campaign);
        }

        if (filter.Test is { } test)
        {
            emails = emails.Where(m => m.IsTest == test);
        }

        if (filter.CreatedAfter is { } after)
        {
            emails = emails.Where(m => m.CreatedAt >= after);
        }

        if (filter.CreatedBefore is { } before)
        {
            emails = emails.Where(m => m.CreatedAt < before);
        }

        return emails;
    }
}
