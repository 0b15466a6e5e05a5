using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;
using PenguinMails.Delivery.Dkim;

namespace PenguinMails.Tests.Delivery;

/// <summary>
/// The server's DKIM signer (RSA by .NET's OpenSSL-backed RSA) against MimeKit's stock one (RSA by BouncyCastle): RSASSA-
/// PKCS1-v1_5 is deterministic, so for the same key, message and second both must write the very same DKIM-Signature.
/// </summary>
public sealed class RsaDkimSignerTests : IDisposable
{
    private static readonly HeaderId[] Signed = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId, HeaderId.ContentType];
    private readonly RSA _key = RSA.Create(2048);

    private static MimeMessage Message(int n)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", "news@mail.example.com"));
        message.To.Add(new MailboxAddress("Ann", $"ann{n}@example.org"));
        message.Subject = $"Order #{n} — ünïcode";
        message.Date = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        message.MessageId = $"m{n}@mail.example.com";
        var body = new MultipartAlternative
        {
            new TextPart("plain") { Text = $"Hello Ann,\nyour order {n} shipped.\n" },
            new TextPart("html") { Text = $"<p>Hello Ann, order {n} shipped.</p>" },
        };
        body.Boundary = $"=-boundary-{n}"; // the same bytes each time: a random boundary would change the body hash
        message.Body = body;
        message.Prepare(EncodingConstraint.SevenBit);
        return message;
    }

    private DkimSigner Stock() => new(Org.BouncyCastle.Security.PrivateKeyFactory.CreateKey(_key.ExportPkcs8PrivateKey()), "mail.example.com", "pm1",
        DkimSignatureAlgorithm.RsaSha256)
    {
        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
    };

    private static string Sign(DkimSigner signer, MimeMessage message)
    {
        signer.Sign(message, Signed);
        return message.Headers[HeaderId.DkimSignature]!;
    }

    [Fact]
    public void Signature_IsTheOneMimeKitsStockSignerWrites_ByteForByte()
    {
        var ours = RsaDkimSigner.FromPkcs8(_key.ExportPkcs8PrivateKey(), "mail.example.com", "pm1");
        var stock = Stock();

        // t= is the signing second: sign again in the rare case the two fell on either side of one.
        var (mine, theirs) = (Sign(ours, Message(1)), Sign(stock, Message(1)));
        for (var tries = 0; tries < 3 && mine != theirs; tries++)
        {
            (mine, theirs) = (Sign(ours, Message(1)), Sign(stock, Message(1)));
        }

        Assert.Contains("a=rsa-sha256", mine);
        Assert.Contains("c=relaxed/relaxed", mine);
        Assert.Equal(theirs, mine);
    }

    [Fact]
    public void FromPem_SignsAsFromPkcs8_ForBothPemForms()
    {
        foreach (var pem in new[] { _key.ExportRSAPrivateKeyPem(), _key.ExportPkcs8PrivateKeyPem() })
        {
            var fromPem = RsaDkimSigner.FromPem(pem, "mail.example.com", "pm1");
            var fromDer = RsaDkimSigner.FromPkcs8(_key.ExportPkcs8PrivateKey(), "mail.example.com", "pm1");
            var (a, b) = (Sign(fromPem, Message(2)), Sign(fromDer, Message(2)));
            for (var tries = 0; tries < 3 && a != b; tries++)
            {
                (a, b) = (Sign(fromPem, Message(2)), Sign(fromDer, Message(2)));
            }

            Assert.Equal(b, a);
        }
    }

    [Fact]
    public async Task OneSigner_UsedByManyThreadsAtOnce_SignsEachMessageVerifiably()
    {
        var signer = RsaDkimSigner.FromPkcs8(_key.ExportPkcs8PrivateKey(), "mail.example.com", "pm1");
        var messages = Enumerable.Range(0, 200).Select(Message).ToList();

        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, (message, _) =>
        {
            signer.Sign(message, Signed);
            return ValueTask.CompletedTask;
        });

        var verifier = new DkimVerifier(new KeyLocator(Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo())));
        Assert.All(messages, m => Assert.True(verifier.Verify(m, m.Headers[m.Headers.IndexOf(HeaderId.DkimSignature)])));
    }

    public void Dispose() => _key.Dispose();

    /// <summary>Answers every DNS query with the test key, as a published TXT record would.</summary>
    private sealed class KeyLocator(string publicKeyBase64) : DkimPublicKeyLocatorBase
    {
        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector,
            CancellationToken cancellationToken = default) => GetPublicKey($"v=DKIM1; k=rsa; p={publicKeyBase64}");

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector,
            CancellationToken cancellationToken = default) => Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
