using System.Text.Json;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails.Attachments;
using PenguinMails.Http;
using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

/// <summary>
/// Turns valid requests into stored messages: each message, its recipients and its <c>queued</c> event are
/// written in one transaction (<see cref="IntakeWriter"/>) before the caller answers, then the local dispatcher is woken.
/// </summary>
public sealed class EmailIntake(Lazy<AppDb> db, TenantContext tenant, TimeProvider time, IOptions<PenguinMailsOptions> options,
    EmailContent content, DispatchSignal signal, IntakeWriter writer, Domains.SenderDomains senders)
{
    private string? _defaultFrom;
    private bool _defaultLoaded;

    public DateTime Now { get; } = time.GetUtcNow().UtcDateTime;

    /// <summary>Validates and renders one request; null with the failure when it cannot be accepted.</summary>
    public async Task<(EmailMessage? Message, ApiError? Error)> PrepareAsync(
        SendEmailRequest request, bool isTest, Guid? apiKeyId, string fieldPrefix, CancellationToken ct)
    {
        var errors = new List<ErrorDetail>();
        var defaultFrom = request.From is null ? await DefaultFromAsync(ct) : null;
        var validator = new EmailRequestValidator(options.Value.Emails, Now);
        var draft = validator.Validate(request, defaultFrom, fieldPrefix, errors);
        if (draft is null && errors.Count > 0 && errors.All(validator.Refused.Contains))
        {
            return (null, new ApiError(ErrorCodes.AttachmentTypeNotAllowed, null, errors));
        }

        if (draft is null)
        {
            // A missing template is the documented answer even when the account also lacks a default sender.
            var onlySender = request.From is null && errors.All(e => e.Field == fieldPrefix + "from");
            return onlySender && request.TemplateId is { } slug && await content.FindTemplateErrorAsync(slug, fieldPrefix, ct) is { } missing
                ? (null, missing)
                : (null, new ApiError(ErrorCodes.ValidationError, null, errors));
        }

        if (!isTest && await senders.CheckAsync(draft.From, fieldPrefix + "from", ct) is { } refused)
        {
            return (null, refused);
        }

        var (rendered, error) = await content.ResolveAsync(draft, fieldPrefix, ct);
        return rendered is null ? (null, error) : (Build(draft, rendered, isTest, apiKeyId), null);
    }

    public async Task SaveAsync(IReadOnlyCollection<EmailMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var events = messages.Select(m => new EmailEvent
        {
            MessageId = m.Id, Type = EmailEventType.Queued, At = Now,
            Detail = m.ScheduledAt is { } at ? $"scheduled for {at:O}" : null,
        }).ToList();
        ct.ThrowIfCancellationRequested();
        await writer.WriteAsync(tenant.TenantId!.Value, messages, events); // not cancelled: once queued, the answer follows the commit
        if (messages.Any(m => m.ScheduledAt is null))
        {
            signal.Notify();
        }
    }

    private EmailMessage Build(EmailDraft draft, RenderedContent rendered, bool isTest, Guid? apiKeyId)
    {
        var due = draft.ScheduledAt ?? Now;
        var message = new EmailMessage
        {
            ApiKeyId = apiKeyId, IsTest = isTest, From = draft.From, ReplyTo = [.. draft.ReplyTo],
            Subject = rendered.Subject, HtmlBody = rendered.Html, TextBody = rendered.Text, TemplateId = draft.TemplateId,
            HeadersJson = draft.Headers.Count == 0 ? null : JsonSerializer.Serialize(draft.Headers),
            MetadataJson = draft.Metadata.Count == 0 ? null : JsonSerializer.Serialize(draft.Metadata),
            Tags = [.. draft.Tags], TrackOpens = draft.TrackOpens, TrackClicks = draft.TrackClicks, AttachmentCount = draft.Attachments.Count,
            CreatedAt = Now, ScheduledAt = draft.ScheduledAt, NextAttemptAt = due,
            DeliverBy = due.AddHours(options.Value.Delivery.DeadlineHours),
        };
        message.Recipients.AddRange(draft.Recipients.Select(r => new EmailRecipient
        {
            MessageId = message.Id, Kind = r.Kind, Address = r.Address, Email = r.Email,
        }));
        message.Attachments.AddRange(draft.Attachments.Select(a => new EmailAttachment
        {
            MessageId = message.Id, Index = a.Index, Filename = a.Filename, ContentType = a.ContentType, ContentId = a.ContentId,
            Size = a.Content.Length, Content = a.Content,
        }));
        return message;
    }

    private async Task<string?> DefaultFromAsync(CancellationToken ct)
    {
        if (!_defaultLoaded)
        {
            _defaultFrom = await DefaultSender.ResolveAsync(db.Value, tenant.TenantId, options.Value.Emails, ct);
            _defaultLoaded = true;
        }

        return _defaultFrom;
    }
}
