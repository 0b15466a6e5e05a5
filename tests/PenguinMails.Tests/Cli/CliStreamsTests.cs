namespace PenguinMails.Tests.Cli;

/// <summary>
/// What a script can rely on: a result alone on stdout, secrets nowhere else, nothing on stdout when a
/// command fails (so <c>slug=$(penguinmails tenants create ...)</c> never captures an error or a help page).
/// </summary>
public sealed class CliStreamsTests : IDisposable
{
    private readonly PenguinMailsExecutable _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task CreateAcmeAsync() =>
        Assert.Equal(0, (await _cli.RunAsync("tenants", "create", "--name", "Acme Corp")).Exit);

    [Fact]
    public async Task TenantsCreate_PrintsExactlyTheSlugLine()
    {
        var created = await _cli.RunAsync("tenants", "create", "--name", "Acme Corp", "--plan", "professional");

        Assert.Equal(0, created.Exit);
        Assert.Equal("acme-corp" + Environment.NewLine, created.Out);
    }

    [Fact]
    public async Task TenantsCreate_UnknownPlan_FailsWithNothingOnStdout()
    {
        var result = await _cli.RunAsync("tenants", "create", "--name", "Acme Corp", "--plan", "platinum");

        Assert.NotEqual(0, result.Exit);
        Assert.Contains("platinum", result.Err);
        Assert.True(result.Out.Length == 0, $"stdout should be empty on an error, was:\n{result.Out}");
    }

    [Fact]
    public async Task TenantsSetPlan_PrintsNothingOnStdout()
    {
        await CreateAcmeAsync();

        var result = await _cli.RunAsync("tenants", "set-plan", "--tenant", "acme-corp", "--plan", "business");

        Assert.Equal(0, result.Exit);
        Assert.Empty(result.Out);
        Assert.Contains("business", result.Err);
    }

    [Fact]
    public async Task KeysCreate_UnknownTenant_FailsWithNothingOnStdout()
    {
        var result = await _cli.RunAsync("keys", "create", "--tenant", "nobody", "--name", "ci", "--preset", "read_only");

        Assert.NotEqual(0, result.Exit);
        Assert.Contains("'nobody'", result.Err);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task KeysCreate_WholeKeyOnStdoutOnly_NeverOnStderr()
    {
        await CreateAcmeAsync();

        var created = await _cli.RunAsync("keys", "create", "--tenant", "acme-corp", "--name", "ci", "--preset", "read_only");

        var key = Assert.Single(created.OutLines);
        Assert.Matches("^pm_live_[0-9A-Za-z]{64}$", key);
        Assert.Contains(key[..22], created.Err); // the identifier, so a person knows which key was made
        Assert.DoesNotContain(key[22..], created.Err);
    }

    [Fact]
    public async Task UsersCreate_PasswordOnStdoutOnly_NeverOnStderr()
    {
        await CreateAcmeAsync();

        var created = await _cli.RunAsync("users", "create", "--tenant", "acme-corp", "--email", "dev@acme.test", "--role", "developer");

        Assert.Equal(0, created.Exit);
        var password = Assert.Single(created.OutLines);
        Assert.True(password.Length >= 16, $"password has {password.Length} characters");
        Assert.DoesNotContain(password, created.Err);
    }

    [Fact]
    public async Task KeysCreate_WithoutConfiguredSecret_GeneratesOneReadableByOwnerOnly()
    {
        await CreateAcmeAsync();

        Assert.Equal(0, (await _cli.RunAsync("keys", "create", "--tenant", "acme-corp", "--name", "ci", "--preset", "read_only")).Exit);

        var secret = Path.Combine(_cli.DataDirectory, "secrets", "api-key-hmac.key");
        Assert.True(File.Exists(secret), $"no generated secret at {secret}");
        Assert.True(Convert.FromBase64String(File.ReadAllText(secret).Trim()).Length >= 32);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
        }
    }

    [Fact]
    public async Task Migrate_OnAnEmptyDataDirectory_CreatesTheDatabase()
    {
        var result = await _cli.RunAsync("migrate");

        Assert.Equal(0, result.Exit);
        Assert.Empty(result.Out);
        Assert.True(File.Exists(Path.Combine(_cli.DataDirectory, "penguinmails.db")));
    }
}
