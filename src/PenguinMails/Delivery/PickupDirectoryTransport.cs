using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// Delivery without a relay (the default local run): each message becomes <c>{id}.eml</c> in the pickup
/// directory, written to a temporary name and renamed, so a reader never sees half a file. A retry of the same
/// message overwrites its file, so the directory holds each message once.
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public async Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var name = (message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0];
        var path = Path.Combine(directory, name + ".eml");
        var temporary = path + ".tmp";
        message.Headers.Replace("X-PenguinMails-Envelope-From", sender.Address);
        message.Headers.Replace("X-PenguinMails-Envelope-To", string.Join(", ", recipients.Select(r => r.Address)));
        await message.WriteToAsync(temporary, ct);
        File.Move(temporary, path, overwrite: true);
        return TransportResult.Sent($"written to {path}");
    }

    public Task IdleAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
