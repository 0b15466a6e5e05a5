using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PenguinMails.ApiKeys;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// The real server in-process on one storage provider, with a clock the test moves. Each factory has its own
/// data directory and database; tests make their own tenants so they do not see each other's rows.
/// </summary>
public abstract class PenguinMailsFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    protected PenguinMailsFactory(string? dataDirectory = null)
    {
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("penguinmails-test-").FullName;
    }

    public FakeTimeProvider Clock { get; } = new(Start);
    public string DataDirectory { get; }
    public LogCollector Logs { get; } = new();
    public abstract string Provider { get; }
    public abstract string ConnectionString { get; }

    /// <summary>More server configuration (e.g. an SMTP relay), set by a test class before its first request.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    /// <summary>More services (e.g. a test's EF interceptor), added by a test class before its first request.</summary>
    public List<Action<IServiceCollection>> MoreServices { get; } = [];

    /// <summary>A base64 secret shared by factories that play several nodes of one deployment.</summary>
    public virtual string HashSecret => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
        "test-secret-test-secret-test-secret-" + DataDirectory));

    /// <summary>The Data Protection master key (base64, 32 bytes), shared likewise by the nodes of one deployment.</summary>
    public virtual string MasterKey => Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes("master-key-" + DataDirectory)));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PenguinMails:DataDirectory", DataDirectory);
        builder.UseSetting("PenguinMails:Database:Provider", Provider);
        builder.UseSetting("PenguinMails:Database:ConnectionString", ConnectionString);
        builder.UseSetting("PenguinMails:ApiKeys:HashSecret", HashSecret);
        builder.UseSetting("PenguinMails:DataProtection:MasterKey", MasterKey);
        builder.UseSetting("PenguinMails:Http:TrustedProxies:0", "127.0.0.1");
        builder.UseSetting("PenguinMails:Http:TrustedProxies:1", "::1");
        builder.UseSetting("PenguinMails:Http:MaxRequestBodyBytes", "65536");
        builder.UseSetting("PenguinMails:FirstRunBanner", "false");
        builder.UseSetting("PenguinMails:ApiUsage:WarmUpOnStart", "false"); // one test turns it on: ApiUsageWarmUpTests
        foreach (var (name, value) in Settings)
        {
            builder.UseSetting(name, value);
        }

        builder.ConfigureLogging(logging =>
        {
            logging.AddProvider(Logs);
            // The in-memory test server has no per-request body size feature; the server's own limit applies instead.
            logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", LogLevel.Error);
        });
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IStartupFilter, LoopbackConnection>();
            services.AddSingleton<IStartupFilter, AnsweredStatuses>();
            foreach (var add in MoreServices)
            {
                add(services);
            }
        });
    }

    public HttpClient Client(string? key = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Runs <paramref name="work"/> inside a tenant scope of the server's own services (test setup only).</summary>
    public async Task<T> InTenantAsync<T>(Guid tenantId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenantId);
        return await work(scope.ServiceProvider);
    }

    /// <summary>The DKIM key of the sending domains <see cref="CreateTenantAsync"/> seeds (made once: 2048-bit keys are slow to make).</summary>
    public static readonly System.Security.Cryptography.RSA SeededDomainKey = System.Security.Cryptography.RSA.Create(2048);

    /// <summary>The selector of the seeded domains' key.</summary>
    public const string SeededSelector = "pmtest";

    /// <summary>
    /// The sending domains every test tenant has verified unless a test asks for others: the addresses the API tests
    /// send from. Only this test seeding gives one name to several tenants; the API and CLI refuse it (DomainRegistry).
    /// </summary>
    public static readonly string[] SeededDomains = ["example.com", "example.org", "acme.test"];

    public async Task<Guid> CreateTenantAsync(Plan plan = Plan.Starter, string[]? verifiedDomains = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var slug = "t-" + Guid.NewGuid().ToString("N")[..12];
        var now = Clock.GetUtcNow().UtcDateTime;
        var tenant = new Tenant { Name = slug, Slug = slug, Plan = plan, CreatedAt = now };
        db.Tenants.Add(tenant);
        var key = scope.ServiceProvider.GetRequiredService<PenguinMails.Domains.DkimKeys>().Protect(SeededDomainKey, SeededSelector);
        foreach (var name in verifiedDomains ?? SeededDomains)
        {
            db.SendingDomains.Add(new PenguinMails.Domains.SendingDomain
            {
                TenantId = tenant.Id, Name = name, Status = PenguinMails.Domains.DomainStatus.Verified, OperatorManaged = true,
                CreatedAt = now, VerifiedAt = now, DkimSelector = key.Selector, DkimPublicKey = key.PublicKey, DkimPrivateKey = key.ProtectedPrivateKey,
            });
        }

        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(tenant.Id);
        await db.SaveChangesAsync();
        return tenant.Id;
    }

    /// <summary>Issues a key the way the CLI does; returns the whole key and its id.</summary>
    public Task<(string Key, Guid Id)> CreateKeyAsync(Guid tenantId, IEnumerable<string> permissions,
        List<string>? allowedIps = null, int? expiresInDays = null, string name = "test key", string environment = "live") =>
        InTenantAsync(tenantId, async sp =>
        {
            var request = new CreateApiKeyRequest
            {
                Name = name, Permissions = permissions.ToList(), AllowedIps = allowedIps, ExpiresInDays = expiresInDays,
                Environment = environment,
            };
            var (key, secret) = await sp.GetRequiredService<ApiKeyIssuer>().CreateAsync(request, new PenguinMails.Users.ChangeActor("test", null), default);
            return (secret, key.Id);
        });

    /// <summary>A new tenant and an admin:api_keys key for it.</summary>
    public async Task<(Guid Tenant, string Key, Guid KeyId)> CreateTenantWithAdminKeyAsync()
    {
        var tenant = await CreateTenantAsync();
        var (key, id) = await CreateKeyAsync(tenant, [Permissions.AdminApiKeys]);
        return (tenant, key, id);
    }

    /// <summary>A client for a new Business-plan tenant with an <c>admin:full</c> key: it may call every operation.</summary>
    public async Task<HttpClient> AdminClientAsync()
    {
        var tenant = await CreateTenantAsync(Plan.Business);
        var (key, _) = await CreateKeyAsync(tenant, [Permissions.AdminFull]);
        return Client(key);
    }

    /// <summary>Moves the clock and gives the server's timers a moment to run their callbacks.</summary>
    public void Advance(TimeSpan by) => Clock.Advance(by);

    /// <summary>Polls <paramref name="condition"/> (real time, bounded) for work the server does in the background.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(25);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            DropDatabase();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    protected virtual void DropDatabase()
    {
    }

    /// <summary>TestServer leaves RemoteIpAddress empty; a real client of a local server comes from loopback.</summary>
    private sealed class LoopbackConnection : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app =>
            {
                app.Use(async (context, nextMiddleware) =>
                {
                    context.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                    await nextMiddleware();
                });
                next(app);
            };
    }
}
