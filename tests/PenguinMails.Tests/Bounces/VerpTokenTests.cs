using Microsoft.Extensions.Options;
using PenguinMails.Bounces;
using PenguinMails.Domains;

namespace PenguinMails.Tests.Bounces;

/// <summary>The return-path token and domain: compact, signed, case-proof, and the sender domain's own host when it has one.</summary>
public sealed class VerpTokenTests
{
    private static readonly byte[] Secret = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    [Fact]
    public void AToken_NamesItsMessageAndRecipient_FitsALocalPart_AndSurvivesCaseFolding()
    {
        var tokens = new VerpTokens(Secret);
        var id = Guid.CreateVersion7();
        var token = tokens.Create(id, "Bob@Example.com");

        Assert.Equal(VerpTokens.Length, token.Length);
        Assert.True(("bounces+" + token).Length <= 64);
        Assert.Matches("^[a-z2-7]+$", token);
        foreach (var read in new[] { tokens.Read(token), tokens.Read(token.ToUpperInvariant()) })
        {
            Assert.NotNull(read);
            Assert.Equal(id, read.MessageId);
            Assert.True(read.Names("bob@example.com"));
            Assert.False(read.Names("alice@example.com"));
        }
    }

    [Fact]
    public void AnAlteredOrForeignToken_NamesNothing()
    {
        var token = new VerpTokens(Secret).Create(Guid.CreateVersion7(), "bob@example.com");
        var altered = token[..10] + (token[10] == 'a' ? 'b' : 'a') + token[11..];

        Assert.Null(new VerpTokens(Secret).Read(altered));
        Assert.Null(new VerpTokens(new byte[32]).Read(token));
        Assert.Null(new VerpTokens(Secret).Read(token[..^1]));
        Assert.Null(new VerpTokens(Secret).Read(token[..^1] + "!"));
    }

    [Fact]
    public void TheBounceDomain_IsTheSenderDomainsReturnPathHost_WhenItsCnameWasFound_ElseTheInstallations()
    {
        var options = new PenguinMailsOptions();
        options.Bounces.Domain = "bounces.example.net";
        options.Domains.ReturnPathHost = "bounces.mail.example.net";
        var paths = new ReturnPaths(new VerpTokens(Secret), Options.Create(options));
        var found = Domain("acme.test", """[{"Purpose":"return_path","Type":"CNAME","Host":"pm-bounces.acme.test","Expected":"bounces.mail.example.net","Required":false,"Status":"found","Found":[],"Detail":null}]""");
        var missing = Domain("other.test", """[{"Purpose":"return_path","Type":"CNAME","Host":"pm-bounces.other.test","Expected":"bounces.mail.example.net","Required":false,"Status":"missing","Found":[],"Detail":null}]""");

        Assert.Equal("pm-bounces.acme.test", paths.DomainFor(found));
        Assert.Equal("bounces.example.net", paths.DomainFor(missing));
        Assert.Equal("bounces.example.net", paths.DomainFor(null));
        options.Bounces.Domain = "";
        Assert.Null(paths.DomainFor(missing));
        var address = paths.For(Guid.CreateVersion7(), "bob@example.com", "pm-bounces.acme.test").Address;
        Assert.Equal((ReturnPathMatch.Found, true), (paths.Find([$"<{address}>"]).Match, paths.Find([address]).Token!.Names("bob@example.com")));
    }

    private static SendingDomain Domain(string name, string lastCheck) => new()
    {
        Name = name, Status = DomainStatus.Verified, DkimSelector = "pm", DkimPublicKey = "", DkimPrivateKey = "", LastCheckJson = lastCheck,
    };
}
