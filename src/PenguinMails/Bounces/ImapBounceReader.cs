using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MimeKit;

namespace PenguinMails.Bounces;

/// <summary>
/// Reads the bounce folder over IMAP: each mail is handed to <see cref="BounceIntake"/>, which records it first; only
/// then is it moved — to <see cref="BounceMailboxOptions.ProcessedFolder"/> when it was a report, to
/// <see cref="BounceMailboxOptions.AsideFolder"/> when not — so a reading stopped between the two finds the mail again
/// and the intake knows it as a duplicate. Both folders are created when missing.
/// </summary>
public sealed class ImapBounceReader(BounceIntake intake, ILogger<ImapBounceReader> log)
{
    public async Task<BounceRunSummary> ReadAsync(BounceMailboxOptions o, CancellationToken ct)
    {
        using var client = new ImapClient();
        await MailboxConnection.OpenAsync(client, o, pop3: false, ct);
        var inbox = string.Equals(o.Folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(o.Folder, ct);
        var processed = await FolderAsync(client, o.ProcessedFolder, ct);
        var aside = await FolderAsync(client, o.AsideFolder, ct);
        await inbox.OpenAsync(FolderAccess.ReadWrite, ct);
        var summary = new BounceRunSummary();
        foreach (var uid in (await inbox.SearchAsync(SearchQuery.All, ct)).Take(Math.Max(1, o.BatchSize)))
        {
            var outcome = await HandleAsync(inbox, uid, ct);
            await inbox.MoveToAsync(uid, BounceRunSummary.IsProcessed(outcome) ? processed : aside, ct);
            summary.Add(outcome);
        }

        await client.DisconnectAsync(true, ct);
        return summary;
    }

    private async Task<BounceOutcome> HandleAsync(IMailFolder inbox, UniqueId uid, CancellationToken ct)
    {
        MimeMessage mail;
        try
        {
            mail = await inbox.GetMessageAsync(uid, ct);
        }
        catch (FormatException e)
        {
            log.LogWarning("Bounce mailbox message {Uid} could not be parsed ({Reason}); set aside.", uid, e.Message);
            return BounceOutcome.NotReport;
        }

        return (await intake.HandleAsync(mail, "imap", ct)).Outcome;
    }

    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken ct)
    {
        try
        {
            return await client.GetFolderAsync(name, ct);
        }
        catch (FolderNotFoundException)
        {
            return await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, isMessageFolder: true, ct)
                ?? throw new InvalidOperationException($"The IMAP server did not create the folder {name}.");
        }
    }
}
