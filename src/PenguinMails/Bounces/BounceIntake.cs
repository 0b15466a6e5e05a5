using System.Diagnostics.Metrics;
using MimeKit;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails;
using PenguinMails.Esp;

namespace PenguinMails.Bounces;

/// <summary>What the intake did with one mail, and the sentence that says why.</summary>
public sealed record BounceResult(BounceOutcome Outcome, string Detail, Guid? MessageId = null);

/// <summary>
/// Takes one inbound mail from any source (the mailbox reader, <c>POST /inbound/bounces</c>): reads it as a report
/// (<see cref="BounceReport"/>), maps it to its message and recipient by our signed return path only
/// (<see cref="ReturnPaths"/>; nothing is guessed from unsigned headers), classifies it (<see cref="BounceClassifier"/>)
/// and records it through the path every asynchronous delivery event takes (<see cref="EspEventRecorder"/>: the event,
/// the recipient's and message's status, the suppression list and with it the contact's status, campaign figures and
/// webhooks), whose receipt row — keyed by the report's identity and written in the same transaction as its effects —
/// makes a second copy a <see cref="BounceOutcome.Duplicate"/>. Every mail is logged in <see cref="BounceMail"/> and
/// counted on the <c>penguinmails.bounces.mail</c> meter; nothing here throws for bad mail.
/// </summary>
public sealed class BounceIntake(IServiceScopeFactory scopes, ReturnPaths returnPaths, WriteGate gate, TimeProvider time, ILogger<BounceIntake> log)
{
    private static readonly Meter Meter = new("PenguinMails.Bounces");
    private static readonly Counter<long> Handled = Meter.CreateCounter<long>("penguinmails.bounces.mail", description: "Inbound bounce mailbox mail by outcome");

    /// <summary><paramref name="key"/>: the log row's key when the source has its own (a POP3 UIDL), else the report's Message-ID.</summary>
    public async Task<BounceResult> HandleAsync(MimeMessage mail, string source, CancellationToken ct, string? key = null)
    {
        var result = await ClassifyAndRecordAsync(mail, ct);
        await LogAsync(mail, source, key, result, ct);
        Handled.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString().ToLowerInvariant()), new("source", source));
        if (result.Outcome is BounceOutcome.NotReport or BounceOutcome.Unmapped or BounceOutcome.Forged)
        {
            log.LogWarning("Bounce mail {MessageId} from {Source} set aside: {Outcome} ({Detail})", mail.MessageId, source, result.Outcome, result.Detail);
        }

        return result;
    }

    private async Task<BounceResult> ClassifyAndRecordAsync(MimeMessage mail, CancellationToken ct)
    {
        if (BounceReport.Read(mail) is not { } report)
        {
            return new BounceResult(BounceOutcome.NotReport, "not a delivery status notification (RFC 3464) or feedback report (RFC 5965)");
        }

        var (match, token) = returnPaths.Find(report.Texts);
        if (token is null)
        {
            return match == ReturnPathMatch.Forged
                ? new BounceResult(BounceOutcome.Forged, "the return path is not signed by this installation")
                : new BounceResult(BounceOutcome.Unmapped, "the report names no return path of ours");
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var message = await db.EmailMessages.IgnoreQueryFilters().AsNoTracking().Where(m => m.Id == token.MessageId)
            .Select(m => new { m.TenantId, Recipients = m.Recipients.Select(r => r.Email).ToList() }).FirstOrDefaultAsync(ct);
        var recipient = message?.Recipients.FirstOrDefault(token.Names);
        if (message is null || recipient is null)
        {
            return new BounceResult(BounceOutcome.Unmapped, "the message of the return path no longer exists", token.MessageId);
        }

        var block = report.Recipients.FirstOrDefault(r => r.FinalRecipient == recipient || r.OriginalRecipient == recipient)
            ?? report.Recipients.FirstOrDefault(r => r.Action is "failed" or "delayed") ?? (report.Recipients.Count > 0 ? report.Recipients[0] : null);
        var verdict = BounceClassifier.Classify(report, block);
        if (verdict.Kind is not { } kind)
        {
            return new BounceResult(BounceOutcome.Ignored, verdict.Detail, token.MessageId);
        }

        var identity = $"report:{report.Identity}|{recipient}|{kind}";
        var e = new EspEvent(report.IsComplaint ? "arf" : "dsn", kind, identity, null, EmailIds.Format(token.MessageId), recipient, verdict.Detail, null);
        var recorded = await scope.ServiceProvider.GetRequiredService<EspEventRecorder>().RecordAsync(message.TenantId, e, ct);
        return recorded switch
        {
            EspEventResult.Recorded => new BounceResult(BounceOutcome.Recorded, verdict.Detail, token.MessageId),
            EspEventResult.Duplicate => new BounceResult(BounceOutcome.Duplicate, verdict.Detail, token.MessageId),
            _ => new BounceResult(BounceOutcome.Unmapped, "the message of the return path no longer exists", token.MessageId),
        };
    }

    private async Task LogAsync(MimeMessage mail, string source, string? key, BounceResult result, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        key ??= "report:" + (mail.MessageId is { Length: > 0 and <= 100 } id ? id : "-");
        Guid? tenant = result.MessageId is { } m
            ? await db.EmailMessages.IgnoreQueryFilters().Where(x => x.Id == m).Select(x => (Guid?)x.TenantId).FirstOrDefaultAsync(ct)
            : null;
        using (await gate.EnterAsync(db, ct))
        {
            db.BounceMail.Add(new BounceMail
            {
                Key = TextClip.To(key, 120), Source = source, Outcome = result.Outcome, At = time.GetUtcNow().UtcDateTime, TenantId = tenant,
                MessageId = result.MessageId, Detail = TextClip.To(result.Detail, 1000),
            });
            await db.SaveChangesAsync(ct);
        }
    }
}
