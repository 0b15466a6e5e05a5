using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Emails.Attachments;

/// <summary>
/// Deletes the content of attachments <see cref="EmailOptions.AttachmentRetentionDays"/> after their message is done
/// (sent, bounced, failed, suppressed or cancelled; counted from its sending, else from its last due time), every
/// <see cref="EmailOptions.AttachmentPruneMinutes"/> on the injected clock, 100 rows per statement. Name, type and size
/// stay, so <c>GET /emails/{id}</c> still says what was sent. Every node may run it at once: each batch is one
/// idempotent <c>UPDATE … WHERE content IS NOT NULL</c>, so two nodes at worst clear the same rows twice.
/// </summary>
public sealed class AttachmentRetention(IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options,
    ILogger<AttachmentRetention> logger) : BackgroundService
{
    private const int Batch = 100;

    private static readonly EmailStatus[] Done =
        [EmailStatus.Sent, EmailStatus.Bounced, EmailStatus.Failed, EmailStatus.Suppressed, EmailStatus.Cancelled];

    /// <summary>Deletes every content past its retention; returns how many attachments this call cleared.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now.AddDays(-options.Value.Emails.AttachmentRetentionDays);
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            // Across tenants on purpose: retention is the installation's rule, not a tenant's.
            var due = db.EmailAttachments.IgnoreQueryFilters()
                .Where(a => a.Content != null && db.EmailMessages.IgnoreQueryFilters()
                    .Any(m => m.Id == a.MessageId && Done.Contains(m.Status) && (m.SentAt ?? m.NextAttemptAt) < cutoff))
                .OrderBy(a => a.Id).Select(a => a.Id).Take(Batch);
            var cleared = await db.EmailAttachments.IgnoreQueryFilters().Where(a => due.Contains(a.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Content, (byte[]?)null).SetProperty(a => a.ContentDeletedAt, now), ct);
            total += cleared;
            if (cleared < Batch)
            {
                return total;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.Value.Emails.AttachmentPruneMinutes)), time);
        do
        {
            try
            {
                if (await PruneAsync(stoppingToken) is > 0 and var cleared)
                {
                    logger.LogInformation("Deleted the content of {Count} attachments past their {Days}-day retention",
                        cleared, options.Value.Emails.AttachmentRetentionDays);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Deleting expired attachments failed; trying again at the next interval");
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
