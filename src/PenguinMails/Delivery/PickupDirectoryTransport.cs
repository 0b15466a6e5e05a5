using System.Text;
using MimeKit;

namespace PenguinMails.Delivery;

/// <summary>
/// Delivery without a relay (the default local run): each message becomes <c>{id}.eml</c> in the pickup directory,
/// in <see cref="WireFormat"/>, the bytes SMTP would carry, after one <c>X-PenguinMails-Envelope-From</c> line and
/// an <c>X-PenguinMails-Envelope-To</c> line per envelope recipient. Written to a temporary name and renamed, so a
/// reader never sees half a file; a retry of the same message overwrites its file. No relay answered, so the result
/// carries no SMTP code, and its text names the file, not the server's directory.
/// </summary>
public sealed class PickupDirectoryTransport(string directory) : IMailTransport
{
    public async Task<TransportResult> SendAsync(MimeMessage message, MailboxAddress sender, IReadOnlyList<MailboxAddress> recipients, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var name = (message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0] + ".eml";
        var path = Path.Combine(directory, name);
        var temporary = path + ".tmp";
        await using (var file = File.Create(temporary))
        {
            var envelope = new StringBuilder($"X-PenguinMails-Envelope-From: {sender.Address}\r\n");
            foreach (var recipient in recipients)
            {
                envelope.Append($"X-PenguinMails-Envelope-To: {recipient.Address}\r\n");
            }

            await file.WriteAsync(Encoding.UTF8.GetBytes(envelope.ToString()), ct);
            await message.WriteToAsync(WireFormat.Options, file, ct);
        }

        File.Move(temporary, path, overwrite: true);
        return TransportResult.Sent(null, $"written to the pickup directory as {name} (no relay configured)");
    }

    /// <summary>No relay is asked: the file holds the message as a relay with SMTPUTF8 would get it.</summary>
    public Task<bool> CarriesUtf8HeadersAsync(CancellationToken ct) => Task.FromResult(true);

    public Task IdleAsync(CancellationToken ct) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
