using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Bounces;

/// <summary>
/// Every <see cref="BounceMailboxOptions.IntervalSeconds"/> on the injected clock, reads the bounce mailbox
/// (<see cref="ImapBounceReader"/> or <see cref="Pop3BounceReader"/>) when one is configured and this node holds the
/// lease (<see cref="BounceMailboxLeases"/>). A failed reading (server down, credentials refused) is logged — without
/// the password — and tried again at the next interval; mail it had not recorded is still in the mailbox.
/// </summary>
public sealed class BounceMailboxJob(BounceMailboxLeases leases, ImapBounceReader imap, Pop3BounceReader pop3, TimeProvider time,
    IOptions<PenguinMailsOptions> options, ILogger<BounceMailboxJob> log) : PeriodicJob(time, log)
{
    private readonly SemaphoreSlim _running = new(1, 1);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(Math.Clamp(options.Value.Bounces.Mailbox.IntervalSeconds, 1, 86_400));

    protected override async Task RunOnceAsync(CancellationToken ct) => await ReadAsync(ct);

    /// <summary>One reading now; null when no mailbox is configured or another node holds the lease.</summary>
    public async Task<BounceRunSummary?> ReadAsync(CancellationToken ct)
    {
        var mailbox = options.Value.Bounces.Mailbox;
        if (string.IsNullOrWhiteSpace(mailbox.Host))
        {
            return null;
        }

        await _running.WaitAsync(ct);
        try
        {
            if (!await leases.TryTakeAsync(TimeSpan.FromSeconds(Math.Max(30, mailbox.LeaseSeconds)), ct))
            {
                return null;
            }

            try
            {
                var summary = string.Equals(mailbox.Protocol.Trim(), "pop3", StringComparison.OrdinalIgnoreCase)
                    ? await pop3.ReadAsync(mailbox, ct)
                    : await imap.ReadAsync(mailbox, ct);
                log.LogInformation("Bounce mailbox {User}@{Host} read: {Summary}", mailbox.User, mailbox.Host, summary);
                return summary;
            }
            finally
            {
                await leases.ReleaseAsync(CancellationToken.None);
            }
        }
        finally
        {
            _running.Release();
        }
    }

    public override void Dispose()
    {
        _running.Dispose();
        base.Dispose();
    }
}
