namespace PenguinMails.Tests.Cli;

/// <summary><c>tenants set-esp</c>: secrets from the environment, shown back only as their last four characters.</summary>
public sealed class CliEspTests
{
    [Fact]
    public async Task TenantsSetEsp_TakesSecretsFromTheEnvironment_ShowsOnlyTheirLast4_AndRefusesMissingCredentials()
    {
        using var cli = new PenguinMailsExecutable(new Dictionary<string, string>
        {
            ["PENGUINMAILS_POSTMARK_SERVER_TOKEN"] = "cli-postmark-token-4k2j",
        });
        await cli.RunAsync("tenants", "create", "--name", "Acme");

        var mailgun = await cli.RunAsync("tenants", "set-esp", "--tenant", "acme", "--transport", "mailgun");
        var postmark = await cli.RunAsync("tenants", "set-esp", "--tenant", "acme", "--transport", "postmark", "--postmark-message-stream", "transactional");

        Assert.NotEqual(0, mailgun.Exit);
        Assert.Contains("mailgun.api_key is required", mailgun.Err);
        Assert.Equal(0, postmark.Exit);
        Assert.Empty(postmark.Out);
        Assert.Contains("acme: transport = postmark", postmark.Err);
        Assert.Contains("server token set, ending in …4k2j, message stream transactional", postmark.Err);
        Assert.Matches(@"postmark webhook URL: http://pm-[^:]+:[^@]+@localhost:5080/inbound/esp/postmark/[A-Za-z0-9_-]{43}", postmark.Err);
        Assert.DoesNotContain("cli-postmark-token-4k2j", postmark.Err);
    }
}
