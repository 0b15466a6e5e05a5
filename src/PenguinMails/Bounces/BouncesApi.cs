using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using MimeKit;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.OpenApi;

namespace PenguinMails.Bounces;

/// <summary>What the intake did with a posted report: <c>recorded</c>, <c>duplicate</c> or <c>ignored</c> (a report that changes nothing).</summary>
public sealed record InboundReportAnswer(string Result, string Detail, string? EmailId);

/// <summary>How many inbound mails met each fate since the installation began, and when the last one came.</summary>
public sealed record BounceIntakeStats(int Recorded, int Duplicate, int Ignored, int NotReport, int Unmapped, int Forged, DateTime? LastAt);

/// <summary>
/// The operator's inbound report endpoints, for MTAs that pipe the bounce address's mail to a URL
/// (docs/decisions/0011-bounce-processing.md). Authenticated by <see cref="BounceOptions.InboundToken"/> as a Bearer
/// token (compared in constant time), never by an API key; off (404) while no token is set. <c>POST /inbound/bounces</c>
/// takes the raw RFC 5322 message and processes it as the mailbox reader would: 200 recorded, duplicate or ignored;
/// 400 <c>NOT_A_DELIVERY_REPORT</c>; 422 <c>REPORT_NOT_MAPPABLE</c> (no signed return path of ours, or its message is
/// gone). <c>GET /inbound/bounces/stats</c> counts every outcome, set-aside mail included.
/// </summary>
public static class BouncesApi
{
    public const string Root = "/inbound/bounces";
    private const string Tag = "Operator: inbound reports";

    public static IEndpointRouteBuilder MapBounces(this IEndpointRouteBuilder app)
    {
        var limit = app.ServiceProvider.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Bounces.MaxReportBytes;
        var inbound = app.MapGroup(Root).AllowAnonymous().WithTags(Tag).WithMetadata(new OperatorEndpoint());
        inbound.MapPost("/", PostAsync).WithName("postBounceReport")
            .Accepts<string>("message/rfc822", "text/plain", "application/octet-stream")
            .WithMetadata(new ReportSizeLimit(limit))
            .ProducesErrors(ErrorCodes.InvalidInboundToken, ErrorCodes.ResourceNotFound, ErrorCodes.NotADeliveryReport, ErrorCodes.ReportNotMappable,
                ErrorCodes.PayloadTooLarge)
            .WithSummary("Process a raw bounce (RFC 3464) or complaint (RFC 5965) report (operator)");
        inbound.MapGet("/stats", StatsAsync).WithName("getBounceIntakeStats")
            .ProducesErrors(ErrorCodes.InvalidInboundToken, ErrorCodes.ResourceNotFound)
            .WithSummary("Count the inbound reports by outcome (operator)");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<InboundReportAnswer>>, ApiError>> PostAsync(HttpContext http, BounceIntake intake,
        IOptions<PenguinMailsOptions> options, CancellationToken ct)
    {
        if (Refusal(http, options.Value.Bounces) is { } refused)
        {
            return refused;
        }

        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, ct);
        if (body.Length == 0)
        {
            return new ApiError(ErrorCodes.NotADeliveryReport, "The body is empty: post the raw report message.");
        }

        MimeMessage mail;
        try
        {
            body.Position = 0;
            mail = await MimeMessage.LoadAsync(body, ct);
        }
        catch (FormatException e)
        {
            return new ApiError(ErrorCodes.NotADeliveryReport, null, [new ErrorDetail("body", "Not an RFC 5322 message: " + e.Message)]);
        }

        var result = await intake.HandleAsync(mail, "http", ct);
        var emailId = result.MessageId is { } id ? Emails.EmailIds.Format(id) : null;
        return result.Outcome switch
        {
            BounceOutcome.NotReport => new ApiError(ErrorCodes.NotADeliveryReport, null, [new ErrorDetail("body", result.Detail)]),
            BounceOutcome.Unmapped or BounceOutcome.Forged => new ApiError(ErrorCodes.ReportNotMappable, null, [new ErrorDetail("body", result.Detail)]),
            _ => ApiResults.Ok(http, new InboundReportAnswer(result.Outcome.ToString().ToLowerInvariant(), result.Detail, emailId)),
        };
    }

    private static async Task<Results<Ok<SuccessEnvelope<BounceIntakeStats>>, ApiError>> StatsAsync(HttpContext http, AppDb db,
        IOptions<PenguinMailsOptions> options, CancellationToken ct)
    {
        if (Refusal(http, options.Value.Bounces) is { } refused)
        {
            return refused;
        }

        var counts = await db.BounceMail.GroupBy(m => m.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var last = await db.BounceMail.OrderByDescending(m => m.At).Select(m => (DateTime?)m.At).FirstOrDefaultAsync(ct);
        int Of(BounceOutcome o) => counts.GetValueOrDefault(o);
        return ApiResults.Ok(http, new BounceIntakeStats(Of(BounceOutcome.Recorded), Of(BounceOutcome.Duplicate), Of(BounceOutcome.Ignored),
            Of(BounceOutcome.NotReport), Of(BounceOutcome.Unmapped), Of(BounceOutcome.Forged), last));
    }

    /// <summary>404 while no inbound token is configured; 401 unless the Bearer token is it.</summary>
    private static ApiError? Refusal(HttpContext http, BounceOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.InboundToken))
        {
            return new ApiError(ErrorCodes.ResourceNotFound, "Inbound reports over HTTP are off: the operator has not set PenguinMails:Bounces:InboundToken.");
        }

        var header = http.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)),
            SHA256.HashData(Encoding.UTF8.GetBytes(options.InboundToken.Trim())))
            ? null
            : new ApiError(ErrorCodes.InvalidInboundToken);
    }

    private sealed record ReportSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}
