using MailKit.Net.Pop3;
using MimeKit;
using PenguinMails.Data;

namespace PenguinMails.Bounces;

/// <summary>
/// Reads the bounce mailbox over POP3, which has no folders: a report is deleted once <see cref="BounceIntake"/> has
/// recorded it (the deletions take effect at QUIT, so a reading stopped before leaves them, and the next one finds
/// them recorded: duplicates, deleted then); other mail is left on the server and remembered by its UIDL
/// (<see cref="BounceMail"/> key <c>pop3:&lt;UIDL&gt;</c>), so it is counted once and not read again.
/// </summary>
public sealed class Pop3BounceReader(BounceIntake intake, IServiceScopeFactory scopes, ILogger<Pop3BounceReader> log)
{
    public async Task<BounceRunSummary> ReadAsync(BounceMailboxOptions o, CancellationToken ct)
    {
        using var client = new Pop3Client();
        await MailboxConnection.OpenAsync(client, o, pop3: true, ct);
        var uids = await client.GetMessageUidsAsync(ct);
        HashSet<string> aside;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var keys = uids.Select(u => "pop3:" + u).ToList();
            aside = (await scope.ServiceProvider.GetRequiredService<AppDb>().BounceMail.AsNoTracking()
                .Where(m => keys.Contains(m.Key) && m.Outcome != BounceOutcome.Recorded && m.Outcome != BounceOutcome.Duplicate && m.Outcome != BounceOutcome.Ignored)
                .Select(m => m.Key).ToListAsync(ct)).ToHashSet();
        }

        var summary = new BounceRunSummary();
        var handled = 0;
        for (var i = 0; i < uids.Count && handled < Math.Max(1, o.BatchSize); i++)
        {
            var key = "pop3:" + uids[i];
            if (aside.Contains(key))
            {
                summary.Skipped++;
                continue;
            }

            handled++;
            var outcome = await HandleAsync(client, i, key, ct);
            if (BounceRunSummary.IsProcessed(outcome))
            {
                await client.DeleteMessageAsync(i, ct);
            }

            summary.Add(outcome);
        }

        await client.DisconnectAsync(true, ct);
        return summary;
    }

    private async Task<BounceOutcome> HandleAsync(Pop3Client client, int index, string key, CancellationToken ct)
    {
        MimeMessage mail;
        try
        {
            mail = await client.GetMessageAsync(index, ct);
        }
        catch (FormatException e)
        {
            log.LogWarning("Bounce mailbox message {Key} could not be parsed ({Reason}); left on the server.", key, e.Message);
            mail = new MimeMessage { Subject = "(unreadable)" };
        }

        return (await intake.HandleAsync(mail, "pop3", ct, key)).Outcome;
    }
}
