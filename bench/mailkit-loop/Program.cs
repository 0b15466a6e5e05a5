// The baseline of bench/email-throughput.sh: MailKit alone sending N small messages over C connections to an
// SMTP server, each connection opened once and reused — what delivery would cost without the queue around it.
// Usage: dotnet run -c Release --project bench/mailkit-loop -- HOST PORT CONNECTIONS MESSAGES [ATTACHMENT_BYTES] [DKIM] [WARM]
// With WARM, that many messages go first, untimed (the JIT's warm-up), over the same connections; the clock starts
// when the first of the MESSAGES timed ones is taken. Prints "MESSAGES SECONDS".
// With ATTACHMENT_BYTES, each message carries one attachment of that many random bytes, as the server's do then.
// With DKIM = "dkim", each message is DKIM-signed as the server signs a verified domain's mail (issue 16: the baseline
// signs whenever the server does): the server's own signer (Delivery/Dkim/RsaDkimSigner: MimeKit's DkimSigner with the
// RSA operation by .NET's RSA), rsa-sha256 with a fresh 2048-bit key, relaxed/relaxed, the same header list
// (Delivery/Dkim/DkimSigning.SignedHeaders), after Prepare for the wire. With DKIM = "bouncycastle", MimeKit's stock
// DkimSigner instead (its RSA by BouncyCastle's managed big integers: what the server used before 1 Dec).
using System.Diagnostics;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;

var host = args[0];
var port = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var connections = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var total = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var attachment = new byte[args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 0];
var signer = args.Length > 5 ? Signer(args[5]) : null;
var warm = args.Length > 6 ? int.Parse(args[6], System.Globalization.CultureInfo.InvariantCulture) : 0;
HeaderId[] signed = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.MimeVersion, HeaderId.ContentType];
Random.Shared.NextBytes(attachment);
var next = -1;
var clock = new Stopwatch();
await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
{
    using var client = new SmtpClient();
    await client.ConnectAsync(host, port, SecureSocketOptions.None);
    int i;
    while ((i = Interlocked.Increment(ref next)) < warm + total)
    {
        if (i == warm)
        {
            clock.Start();
        }

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
        if (signer is not null)
        {
            message.Prepare(EncodingConstraint.SevenBit);
            signer.Sign(message, signed);
        }

        await client.SendAsync(message);
    }

    await client.DisconnectAsync(true);
}));
Console.WriteLine(FormattableString.Invariant($"{total} {clock.Elapsed.TotalSeconds:F3}"));

static DkimSigner? Signer(string kind)
{
    using var rsa = System.Security.Cryptography.RSA.Create(2048);
    return kind switch
    {
        "dkim" => PenguinMails.Delivery.Dkim.RsaDkimSigner.FromPkcs8(rsa.ExportPkcs8PrivateKey(), "example.com", "bench"),
        "bouncycastle" => new DkimSigner(Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey()), "example.com", "bench",
            DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        },
        _ => null,
    };
}
