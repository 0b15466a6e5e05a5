using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Emails;
using PenguinMails.Suppressions;
using PenguinMails.Tenancy;

namespace PenguinMails.Tracking;

/// <summary>Writes tracking events for the message a token names, in that message's tenant.</summary>
public sealed class TrackingEvents(AppDb db, TenantContext tenant, TimeProvider time, SuppressionList suppressions, WriteGate gate,
    TrackingMetrics metrics, IOptions<PenguinMailsOptions> options, ILogger<TrackingEvents> logger)
{
    /// <summary>
    /// Where a click token leads, in ASCII form (<see cref="TrackedUrl"/>): link <see cref="TrackingToken.LinkIndex"/>
    /// of the message's stored HTML body, or a first-format token's URL. Null when the message or link is gone.
    /// </summary>
    public async Task<string?> ClickTargetAsync(TrackingToken click, CancellationToken ct)
    {
        var message = await db.EmailMessages.IgnoreQueryFilters().Where(m => m.Id == click.MessageId)
            .Select(m => new { m.TenantId, m.HtmlBody }).FirstOrDefaultAsync(ct);
        if (message is null)
        {
            return null;
        }

        tenant.Enter(message.TenantId);
        return click.LegacyUrl is { } url ? TrackedUrl.ToAscii(url)
            : message.HtmlBody is { } html ? HtmlTracking.LinkAt(html, click.LinkIndex)
            : null;
    }

    /// <summary>
    /// Records an open or click unless this client address already had <see cref="TrackingOptions.EventsPerWindow"/>
    /// of that type for that message — for a click, for that link (<paramref name="link"/>, see
    /// <see cref="TrackingWindow.Link"/>) — in the current window. The bound is one upsert on (message, type, link,
    /// client, window) — atomic on SQLite and PostgreSQL alike, so it holds across nodes. Never throws for the
    /// database: the hit is answered whether or not it could be written, and what was not is counted.
    /// </summary>
    public async Task RecordAsync(Guid messageId, EmailEventType type, int link, string? detail, string client, CancellationToken ct)
    {
        try
        {
            if (!await EnterAsync(messageId, ct))
            {
                return;
            }

            var bound = options.Value.Tracking;
            var now = time.GetUtcNow();
            var window = now.ToUnixTimeSeconds() / Math.Max(1, bound.WindowSeconds);
            var (max, typeName) = (Math.Max(1, bound.EventsPerWindow), type.ToString());
            using (await gate.EnterAsync(db, ct))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var counted = await db.Database.SqlQuery<int>($"""
                    INSERT INTO tracking_windows (message_id, type, link, client, window_number, hits)
                    VALUES ({messageId}, {typeName}, {link}, {client}, {window}, 1)
                    ON CONFLICT (message_id, type, link, client, window_number)
                    DO UPDATE SET hits = tracking_windows.hits + 1 WHERE tracking_windows.hits < {max}
                    RETURNING hits AS "Value"
                    """).ToListAsync(ct);
                if (counted.Count == 0)
                {
                    metrics.Unrecorded(type, "bound");
                    return;
                }

                db.EmailEvents.Add(new EmailEvent
                {
                    MessageId = messageId, Type = type, At = now.UtcDateTime, Detail = TextClip.OrNull(detail, 2048),
                    Client = client,
                });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
        }
        catch (Exception e) when (e is DbException or DbUpdateException)
        {
            logger.LogWarning(e, "A {Type} event of message {MessageId} could not be written; the hit was answered", type, messageId);
            metrics.Unrecorded(type, "error");
        }
    }

    /// <summary>
    /// The <see cref="TrackingWindow.Link"/> of a click token: its link index, or for a first-format token (which
    /// carries its URL, not an index) a negative number from the URL's SHA-256, so that its links are bounded apart.
    /// </summary>
    public static int LinkKey(TrackingToken click) => click.LegacyUrl is { } url
        ? -1 - (int)(BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(url))) & int.MaxValue)
        : click.LinkIndex;

    /// <summary>
    /// Unsubscribes the message's To recipients (the List-Unsubscribe header is the same for every copy): suppressed
    /// from now on. One <c>unsubscribed</c> event per recipient and message, however often the link is used.
    /// </summary>
    public async Task<bool> UnsubscribeAsync(Guid messageId, CancellationToken ct)
    {
        if (!await EnterAsync(messageId, ct))
        {
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var to = await db.EmailRecipients.Where(r => r.MessageId == messageId && r.Kind == RecipientKind.To).Select(r => r.Email).ToListAsync(ct);
        using (await gate.EnterAsync(db, ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var already = await db.EmailEvents.Where(e => e.MessageId == messageId && e.Type == EmailEventType.Unsubscribed && e.Recipient != null)
                .Select(e => e.Recipient!).ToListAsync(ct);
            foreach (var email in to)
            {
                await suppressions.AddAsync(email, SuppressionReason.Unsubscribe, ct);
            }

            db.EmailEvents.AddRange(to.Except(already).Distinct()
                .Select(email => new EmailEvent { MessageId = messageId, Type = EmailEventType.Unsubscribed, At = now, Recipient = email }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        return true;
    }

    private async Task<bool> EnterAsync(Guid messageId, CancellationToken ct)
    {
        var owner = await db.EmailMessages.IgnoreQueryFilters().Where(m => m.Id == messageId).Select(m => (Guid?)m.TenantId).FirstOrDefaultAsync(ct);
        if (owner is not { } tenantId)
        {
            return false;
        }

        tenant.Enter(tenantId);
        return true;
    }
}
