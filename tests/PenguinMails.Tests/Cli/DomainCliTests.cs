namespace PenguinMails.Tests.Cli;

/// <summary>The operator's domain commands: the upgrade step of README's "Sending domains", run as a script would.</summary>
public sealed class DomainCliTests : IDisposable
{
    private readonly PenguinMailsExecutable _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task DomainsAddVerified_ThenList_ShowsItVerifiedAndOperatorManaged_AnotherTenantIsRefusedIt()
    {
        Assert.Equal(0, (await _cli.RunAsync("tenants", "create", "--name", "Acme")).Exit);
        Assert.Equal(0, (await _cli.RunAsync("tenants", "create", "--name", "Rival")).Exit);

        var added = await _cli.RunAsync("domains", "add", "--tenant", "acme", "--name", "Mail.Acme.Test", "--verified");
        var listed = await _cli.RunAsync("domains", "list");
        var taken = await _cli.RunAsync("domains", "add", "--tenant", "rival", "--name", "news.mail.acme.test");
        var pending = await _cli.RunAsync("domains", "add", "--tenant", "rival", "--name", "rival.test");

        Assert.Equal(0, added.Exit);
        Assert.Matches("^dom_[0-9a-f]{32}\tmail\\.acme\\.test\tverified$", added.OutLines[0]);
        Assert.Contains(added.OutLines, l => l.StartsWith("TXT\tpm", StringComparison.Ordinal) && l.Contains("._domainkey.mail.acme.test\tv=DKIM1; k=rsa; p="));
        Assert.Contains("never checked in DNS", added.Err);
        Assert.Contains(listed.OutLines, l => l.StartsWith("acme\tmail.acme.test\tverified (operator-managed)\tpm", StringComparison.Ordinal));
        Assert.NotEqual(0, taken.Exit);
        Assert.Contains("another account", taken.Err);
        Assert.Empty(taken.Out);
        Assert.Equal(0, pending.Exit);
        Assert.EndsWith("\trival.test\tpending", pending.OutLines[0]);
        Assert.Contains("publish the records above", pending.Err);
    }
}
