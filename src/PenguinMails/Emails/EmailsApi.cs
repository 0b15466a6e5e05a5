using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Http;
using PenguinMails.Http.Idempotency;
using PenguinMails.OpenApi;

namespace PenguinMails.Emails;

/// <summary>
/// /api/v1/emails: send one, send a batch, cancel before delivery, read one with its timeline, list.
/// Every write honours Idempotency-Key. A send is answered only once the message is stored.
/// </summary>
public static class EmailsApi
{
    public const int MaxBatch = 500;

    public static IEndpointRouteBuilder MapEmails(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Emails;
        var emails = app.MapGroup("/api/v1/emails").WithTags("Emails");
        emails.MapPost("/send", Send).WithName("sendEmail")
            .ProducesErrors(ErrorCodes.TemplateNotFound, ErrorCodes.MissingTemplateVariables, ErrorCodes.AttachmentTypeNotAllowed,
                ErrorCodes.SenderDomainNotVerified)
            .RequirePermission(Permissions.EmailsSend).WithIdempotency()
            .WithMetadata(new BodyLimit(SendBodyLimit(options)))
            .WithSummary("Send an email (answered once it is stored; delivered in the background)");
        emails.MapPost("/batch", Batch).WithName("sendEmailBatch").RequirePermission(Permissions.EmailsSendBulk).WithIdempotency()
            .WithMetadata(new BodyLimit(options.MaxBatchRequestBytes))
            .WithSummary($"Send up to {MaxBatch} emails; a result per item");
        emails.MapPost("/{id}/cancel", EmailCancel.CancelAsync).WithName("cancelEmail").ProducesErrors(ErrorCodes.EmailNotCancellable).RequirePermission(Permissions.EmailsSend).WithIdempotency()
            .WithSummary("Cancel a queued, scheduled or deferred email");
        emails.MapGet("/{id}", EmailReads.GetAsync).WithName("getEmail").RequirePermission(Permissions.EmailsSend)
            .WithSummary("Get an email: status, recipients, events and delivery attempts");
        emails.MapGet("/", EmailReads.ListAsync).WithName("listEmails").RequirePermission(Permissions.EmailsSend)
            .WithSummary("List emails by status, tag, recipient, campaign, environment and time");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<SendEmailResponse>>, ApiError>> Send(
        SendEmailRequest request, EmailIntake intake, HttpContext http, CancellationToken ct)
    {
        var (message, error) = await intake.PrepareAsync(request, IsTestKey(http.User), KeyIdOf(http.User), "", ct);
        if (message is null)
        {
            return error!;
        }

        await intake.SaveAsync([message], ct);
        return ApiResults.Ok(http, Accepted(message));
    }

    private static async Task<Results<Ok<SuccessEnvelope<BatchEmailResponse>>, ApiError>> Batch(
        BatchEmailRequest request, EmailIntake intake, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        if (request.Emails is not { Count: > 0 } items || items.Count > MaxBatch)
        {
            return ApiError.Validation("emails", $"emails must hold 1 to {MaxBatch} messages.");
        }

        var results = new List<BatchItemResult>(items.Count);
        var accepted = new List<EmailMessage>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var (item, unread) = BatchItems.Read(items[i], i, json.Value.SerializerOptions);
            var (message, error) = item is null ? (null, unread)
                : await intake.PrepareAsync(item, IsTestKey(http.User), KeyIdOf(http.User), $"emails[{i}].", ct);
            if (message is null)
            {
                results.Add(new BatchItemResult(i, null, null, new BatchItemError(error!.Code.Code, error.Message, error.Details)));
                continue;
            }

            accepted.Add(message);
            results.Add(new BatchItemResult(i, EmailIds.Format(message.Id), "queued", null));
        }

        await intake.SaveAsync(accepted, ct);
        return ApiResults.Ok(http, new BatchEmailResponse(accepted.Count, items.Count - accepted.Count, results));
    }

    /// <summary>
    /// The bodies (twice: JSON escaping) and the attachments at their largest as base64 in JSON: 4/3 of the decoded
    /// bytes, plus an escaped line break every 76 characters when a client wraps its base64 — under 3/2 in all.
    /// </summary>
    internal static long SendBodyLimit(EmailOptions options) =>
        Math.Max(64 * 1024, options.MaxMessageBytes * 2L) + options.MaxAttachmentBytes * 3 / 2 + 64 * 1024;

    internal static SendEmailResponse Accepted(EmailMessage message)
    {
        var to = message.Recipients.Where(r => r.Kind == RecipientKind.To).Select(r => r.Address).ToList();
        JsonNode toNode = to.Count == 1 ? JsonValue.Create(to[0]) : new JsonArray([.. to.Select(a => (JsonNode?)JsonValue.Create(a))]);
        return new SendEmailResponse(EmailIds.Format(message.Id), "queued", toNode, message.CreatedAt, message.ScheduledAt);
    }

    internal static bool IsTestKey(ClaimsPrincipal user) => ApiKeyPrincipal.EnvironmentOf(user) == KeyEnvironment.Test;

    private static Guid? KeyIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    private sealed record BodyLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
