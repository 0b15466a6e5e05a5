using PenguinMails.Bounces;
using Microsoft.Extensions.Logging.Console;
using PenguinMails.Alerts;
using PenguinMails.Analytics;
using PenguinMails.ApiKeys;
using PenguinMails.Audit;
using PenguinMails.ApiUsage;
using PenguinMails.Auth;
using PenguinMails.Campaigns;
using PenguinMails.Contacts;
using PenguinMails.Data;
using PenguinMails.Domains;
using PenguinMails.Delivery;
using PenguinMails.Emails;
using PenguinMails.Http.Idempotency;
using PenguinMails.Tracking;
using PenguinMails.Health;
using PenguinMails.Delivery.Dkim;
using PenguinMails.Http;
using PenguinMails.Account;
using PenguinMails.OpenApi;
using PenguinMails.RateLimiting;
using PenguinMails.Suppressions;
using PenguinMails.Templates;
using PenguinMails.Users;
using PenguinMails.Portal;
using PenguinMails.Secrets;
using PenguinMails.Esp;
using PenguinMails.Webhooks;

using PenguinMails.Memory;
using PenguinMails.Sdks;

namespace PenguinMails;

/// <summary>The server's table of contents: what it is made of, and in which order requests pass.</summary>
public static class ServerApp
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// The content root's <c>appsettings*.json</c> still reload when changed, but by polling the files every few seconds.
    /// The default watch is inotify on the whole content root, recursively: the data directory (SQLite's database and
    /// WAL) is in it, so every write woke the watcher thread — 7 % of a busy server's CPU (bench/README.md, issue 16).
    /// </summary>
    private static void PollSettingsFiles(WebApplicationBuilder builder)
    {
        var polled = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(builder.Environment.ContentRootPath)
        {
            UsePollingFileWatcher = true, UseActivePolling = true,
        };
        var sources = builder.Configuration.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path: { } path } json
                && path.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase))
            {
                sources[i] = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
                {
                    FileProvider = polled, Path = path, Optional = json.Optional, ReloadOnChange = true,
                };
            }
        }
    }

    public static WebApplicationBuilder CreateBuilder(string[] args, bool forCli = false)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. args, "--hostBuilder:reloadConfigOnChange=false"], WebRootPath = WebRoot(),
        });
        PollSettingsFiles(builder);
        // The shipped defaults travel with the binary, wherever it is started from; the lowest-priority source.
        var shipped = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
            Optional = true,
        };
        shipped.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, shipped);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddOptions<PenguinMailsOptions>().BindConfiguration(PenguinMailsOptions.Section);
        builder.Logging.AddSimpleConsole(o => o.IncludeScopes = true);
        if (forCli)
        {
            // stdout carries only what a script captures; everything else goes to stderr.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddStorage();
        builder.Services.AddHttpConventions();
        builder.Services.AddValidation();
        builder.Services.AddApiKeyAuth();
        builder.Services.AddAudit();
        builder.Services.AddApiUsage();
        builder.Services.AddSecrets();
        builder.Services.AddPortal();
        builder.Services.AddRateLimiting();
        builder.Services.AddScoped<ApiKeyIssuer>();
        builder.Services.AddScoped<UserAccounts>();
        builder.Services.AddScoped<Team>();
        builder.Services.AddScoped<FirstRunSeeder>();
        builder.Services.AddContacts();
        builder.Services.AddScoped<TemplateRenderer>();
        builder.Services.AddScoped<SuppressionList>();
        builder.Services.AddDkimSigning();
        builder.Services.AddApiDocument();
        builder.Services.AddEmails();
        builder.Services.AddTracking();
        builder.Services.AddCampaigns();
        builder.Services.AddAlerts();
        builder.Services.AddEsp();
        builder.Services.AddDomains();
        builder.Services.AddWebhooks();
        builder.Services.AddSdks();
        builder.Services.AddBounces();
        if (!forCli && GlibcHeap.OwnsProcess)
        {
            builder.Services.AddHostedService<NativeHeapTrimJob>();
        }
        return builder;
    }

    public static WebApplication Build(string[] args)
    {
        var app = CreateBuilder(args).Build();
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PenguinMailsOptions>>().Value;
        app.UseHttpConventions(options);
        app.UseAuthentication();
        app.UseTenantRateLimits();
        app.UseAuthorization();
        app.UseUnknownQueryParameters();
        app.UseIdempotencyKeys();

        app.MapPortal();
        app.MapHealth();
        app.MapApiDocument();
        app.MapErrorDocs();
        app.MapMe();
        app.MapApiKeys();
        app.MapAuditLog();
        app.MapContacts();
        app.MapEmails();
        app.MapTracking();
        app.MapCampaigns();
        app.MapAnalytics();
        app.MapApiUsage();
        app.MapTemplates();
        app.MapSuppressions();
        app.MapEsp();
        app.MapEspWebhooks();
        app.MapDomains();
        app.MapWebhooks();
        app.MapSdks();
        app.MapBounces();
        return app;
    }

    /// <summary>
    /// The portal's static files travel with the binary (published: wwwroot beside it); from a checkout's build
    /// output, the project's own wwwroot. Either way, wherever the server is started from.
    /// </summary>
    private static string? WebRoot()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        var source = typeof(ServerApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "PenguinMailsWebRoot")?.Value;
        return source is not null && Directory.Exists(source) ? source : null;
    }

    /// <summary>Where a browser signs in: the public URL, else the first address the server listens on.</summary>
    private static string SignInUrl(WebApplication app, PenguinMailsOptions options)
    {
        var url = !string.IsNullOrWhiteSpace(options.PublicUrl) ? options.PublicUrl
            : app.Configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? DefaultUrl;
        return url.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/') + "/";
    }

    /// <summary>Migrates (unless disabled), seeds the first tenant and warms the usage queries before the server takes requests.</summary>
    public static async Task PrepareDatabaseAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<PenguinMailsOptions>>().Value;
        if (options.Database.MigrateOnStartup)
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        }

        await scope.ServiceProvider.GetRequiredService<FirstRunSeeder>()
            .SeedAsync(options.FirstRunBanner ? Console.Out : TextWriter.Null, SignInUrl(app, options), ct);
        if (options.ApiUsage.WarmUpOnStart)
        {
            await ApiUsage.ApiUsageWarmUp.RunAsync(app.Services, ct);
        }
    }
}
