// The baseline of bench/email-throughput.sh: MailKit alone sending N small messages over C connections to an
// SMTP server, each connection opened once and reused — what delivery would cost without the queue around it.
// Usage: dotnet run -c Release --project bench/mailkit-loop -- HOST PORT CONNECTIONS MESSAGES [ATTACHMENT_BYTES]
// With ATTACHMENT_BYTES, each message carries one attachment of that many random bytes, as the server's do then.
using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

var host = args[0];
var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var connections = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var total = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var attachment = new byte[args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0];
Random.Shared.NextBytes(attachment);
var next = -1;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
{
    using var client = new SmtpClient();
    await client.ConnectAsync(host, port, SecureSocketOptions.None);
    int i;
    while ((i = Interlocked.Increment(ref next)) < total)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("s@example.com"));
        message.To.Add(MailboxAddress.Parse($"raw-{i}@example.com"));
        message.Subject = $"#{i}";
        message.MessageId = $"{Guid.NewGuid():N}@example.com";
        var body = new BodyBuilder { TextBody = "body", HtmlBody = "<p>body</p>" };
        if (attachment.Length > 0)
        {
            body.Attachments.Add("report.pdf", attachment);
        }

        message.Body = body.ToMessageBody();
        await client.SendAsync(message);
    }

    await client.DisconnectAsync(true);
}));
Console.WriteLine(FormattableString.Invariant($"{total} {clock.Elapsed.TotalSeconds:F3}"));
