using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using PenguinMails.Delivery.Dkim;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Delivery;

/// <summary>DKIM: what is signed verifies with the published public key; a bad key stops the server at startup.</summary>
public sealed class DkimSigningTests : IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _directory = Directory.CreateTempSubdirectory("penguinmails-dkim-").FullName;

    private string WriteKey(string pem, string name = "dkim.pem")
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, pem);
        return path;
    }

    private static DkimSigning Signing(DkimOptions dkim) => new(Options.Create(new PenguinMailsOptions { Dkim = dkim }));

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Shop", "news@mail.example.com"));
        message.To.Add(new MailboxAddress("Ann", "ann@example.org"));
        message.ReplyTo.Add(MailboxAddress.Parse("help@example.com"));
        message.Subject = "Your order — ünïcode too";
        message.Headers.Add(HeaderId.ListUnsubscribe, "<https://example.com/u/1>");
        message.Headers.Add(HeaderId.ListUnsubscribePost, "List-Unsubscribe=One-Click");
        message.Body = new MultipartAlternative
        {
            new TextPart("plain") { Text = "Hello Ann,\nyour order shipped.\n" },
            new TextPart("html") { Text = "<p>Hello Ann, your order shipped. Ça marche.</p>" },
        };
        return message;
    }

    private bool Verify(MimeMessage message)
    {
        var header = message.Headers[message.Headers.IndexOf(HeaderId.DkimSignature)];
        return new DkimVerifier(new TestKeyLocator(Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()))).Verify(message, header);
    }

    [Fact]
    public void SignedMessage_VerifiesWithThePublicKey_AfterATripThroughText()
    {
        var signing = Signing(new DkimOptions { Domain = "mail.example.com", Selector = "pm1", PrivateKeyPath = WriteKey(_key.ExportPkcs8PrivateKeyPem()) });
        var message = Message();

        signing.Sign(message);

        Assert.True(signing.Enabled);
        using var wire = new MemoryStream();
        message.WriteTo(wire);
        wire.Position = 0;
        var received = MimeMessage.Load(wire);
        Assert.True(Verify(received));
        var signature = received.Headers[HeaderId.DkimSignature]!;
        Assert.Contains("a=rsa-sha256", signature);
        Assert.Contains("c=relaxed/relaxed", signature);
        Assert.Contains("d=mail.example.com", signature);
        Assert.Contains("s=pm1", signature);
        Assert.Contains("list-unsubscribe-post", signature.ToLowerInvariant());
    }

    [Fact]
    public void TamperedSubject_NoLongerVerifies()
    {
        var signing = Signing(new DkimOptions { Domain = "mail.example.com", Selector = "pm1", PrivateKey = _key.ExportRSAPrivateKeyPem() });
        var message = Message();
        signing.Sign(message);

        message.Subject = "Something else";

        Assert.False(Verify(message));
    }

    [Fact]
    public void Unconfigured_IsDisabled_AndLeavesMessagesUnsigned()
    {
        var signing = Signing(new DkimOptions());
        var message = Message();

        signing.Sign(message);

        Assert.False(signing.Enabled);
        Assert.Equal(-1, message.Headers.IndexOf(HeaderId.DkimSignature));
    }

    [Fact]
    public void MissingKeyFile_StopsTheServerAtStartup_NamingTheSetting()
    {
        var missing = Path.Combine(_directory, "absent.pem");

        var message = StartupFailure(("PenguinMails:Dkim:Domain", "mail.example.com"), ("PenguinMails:Dkim:Selector", "pm1"),
            ("PenguinMails:Dkim:PrivateKeyPath", missing));

        Assert.Contains("DKIM is misconfigured: PenguinMails:Dkim:PrivateKeyPath", message);
        Assert.Contains(missing, message);
    }

    [Theory]
    [InlineData("not a key at all")]
    [InlineData("public")]
    [InlineData("ec")]
    public void KeyThatIsNotAnRsaPrivateKey_StopsTheServerAtStartup(string kind)
    {
        using var ec = ECDsa.Create();
        var pem = kind switch
        {
            "public" => _key.ExportSubjectPublicKeyInfoPem(),
            "ec" => ec.ExportPkcs8PrivateKeyPem(),
            _ => kind,
        };

        var message = StartupFailure(("PenguinMails:Dkim:Domain", "mail.example.com"), ("PenguinMails:Dkim:Selector", "pm1"),
            ("PenguinMails:Dkim:PrivateKeyPath", WriteKey(pem)));

        Assert.Contains("is not an unencrypted PEM RSA private key", message);
    }

    [Fact]
    public void KeyWithoutDomain_StopsTheServerAtStartup()
    {
        var message = StartupFailure(("PenguinMails:Dkim:PrivateKey", _key.ExportRSAPrivateKeyPem()));

        Assert.Contains("PenguinMails:Dkim:Domain and PenguinMails:Dkim:Selector are both required", message);
    }

    private static string StartupFailure(params (string Key, string Value)[] settings)
    {
        using var baseFactory = new SqliteFactory();
        using var factory = baseFactory.WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        return error.ToString();
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Answers every DNS query with the test key, as a published TXT record would.</summary>
    private sealed class TestKeyLocator(string publicKeyBase64) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            domain == "mail.example.com" && selector == "pm1" ? GetPublicKey($"v=DKIM1; k=rsa; p={publicKeyBase64}")
            : throw new InvalidOperationException($"no key for {selector}._domainkey.{domain}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
