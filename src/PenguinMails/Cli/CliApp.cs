using System.CommandLine;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Cli;

/// <summary>
/// The one executable's commands: <c>serve</c> (the default), <c>migrate</c>, <c>tenants</c>, <c>users</c>, <c>keys</c>.
/// Results a script captures (a slug, a password, a key) go alone to stdout; everything else to stderr.
/// </summary>
public static class CliApp
{
    private static readonly string[] Commands = ["migrate", "tenants", "users", "keys", "domains", "--help", "-h", "-?", "--version"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Commands.Contains(args[0]);

    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("PenguinMails: a self-hostable, multi-tenant email platform.")
        {
            new Command("serve", "Run the server (the default with no arguments)."),
            Migrate(),
            TenantCommands.Create(),
            UserCommands.Create(),
            KeyCommands.Create(),
            DomainCommands.Create(),
        };
        var parsed = root.Parse(args);
        if (parsed.Action is System.CommandLine.Invocation.ParseErrorAction error)
        {
            error.ShowHelp = false; // stdout is for results; the error itself goes to stderr
        }

        return parsed.InvokeAsync();
    }

    /// <summary>The server's services without its web host, on a migrated database, to run one command.</summary>
    internal static async Task<int> WithServicesAsync(Func<IServiceProvider, CancellationToken, Task<int>> command, CancellationToken ct)
    {
        var builder = ServerApp.CreateBuilder([], forCli: true);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        });
        await using var app = builder.Build();
        await using var scope = app.Services.CreateAsyncScope();
        try
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            return await command(scope.ServiceProvider, ct);
        }
        catch (CliException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }
    }

    internal static async Task<Tenant> EnterTenantAsync(IServiceProvider services, string slug, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDb>();
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Slug == slug, ct)
            ?? throw new CliException($"no tenant with slug '{slug}'.");
        services.GetRequiredService<TenantContext>().Enter(tenant.Id);
        return tenant;
    }

    private static Command Migrate()
    {
        var command = new Command("migrate", "Apply pending database migrations and exit.");
        command.SetAction((_, ct) => WithServicesAsync(async (_, _) =>
        {
            await Console.Error.WriteLineAsync("Database is up to date.");
            return 0;
        }, ct));
        return command;
    }
}

/// <summary>A user error in a CLI command: printed as one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
