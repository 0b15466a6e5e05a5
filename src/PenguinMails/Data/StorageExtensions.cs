using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using PenguinMails.Tenancy;

namespace PenguinMails.Data;

public static class StorageExtensions
{
    /// <summary>
    /// AppDb on the configured provider: SQLite in the data directory by default, or PostgreSQL. The provider
    /// is read when AppDb is first resolved, so configuration from any source (tests included) applies.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddScoped<TenantContext>();
        services.AddSingleton<NodeName>();
        // Options built once (they depend only on configuration and singletons), not at every context's creation: EF
        // otherwise rebuilds and re-hashes them for each scope, a measurable share of a background worker's CPU.
        services.AddDbContext<SqliteAppDb>((sp, o) => Interceptors(sp, QuietOnHandledFailures(o.UseSqlite(SqliteConnection(Options(sp)))))
            .AddInterceptors(new SqliteBusyTimeout(), new SqliteUnicodeLower()),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddDbContext<PostgresAppDb>((sp, o) => Interceptors(sp, QuietOnHandledFailures(o.UseNpgsql(PostgresConnection(Options(sp))))),
            ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddScoped<AppDb>(sp => Provider(Options(sp)) == "postgres"
            ? sp.GetRequiredService<PostgresAppDb>()
            : sp.GetRequiredService<SqliteAppDb>());
        // For services on hot paths that often need no database at all (a send whose checks are all cached): the
        // context is built on first use, not with the service. Building one costs more than a cached check.
        services.AddScoped(sp => new Lazy<AppDb>(sp.GetRequiredService<AppDb>));
        services.AddScoped<DatabaseMigrator>();
        return services;
    }

    /// <summary>
    /// EF Core logs every failed command and SaveChanges at Error before the caller sees the exception. Some are
    /// expected and handled (a unique violation an upsert retries, a lease another node took); the others reach
    /// the error handler or a worker's catch, which log them once, with the request id. So EF's own lines are
    /// Debug: an Error in the log always means something went wrong.
    /// </summary>
    private static DbContextOptionsBuilder QuietOnHandledFailures(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.OptimisticConcurrencyException, LogLevel.Debug)));

    /// <summary>
    /// The webhook outbox records events in the SaveChanges that causes them (Webhooks/WebhookOutboxInterceptor); changes to
    /// sending domains reach the sender rule's cache (Domains/SendingDomainChanges). Each when registered.
    /// </summary>
    private static DbContextOptionsBuilder Interceptors(IServiceProvider sp, DbContextOptionsBuilder options)
    {
        IInterceptor?[] interceptors = [sp.GetService<Webhooks.WebhookOutboxInterceptor>(), sp.GetService<Domains.SendingDomainChanges>()];
        return options.AddInterceptors(interceptors.OfType<IInterceptor>());
    }

    private static PenguinMailsOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<PenguinMailsOptions>>().Value;

    private static string Provider(PenguinMailsOptions options) =>
        options.Database.Provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" => "sqlite",
            "postgres" or "postgresql" => "postgres",
            var other => throw new InvalidOperationException($"Unknown database provider '{other}'. Use 'sqlite' or 'postgres'."),
        };

    private static string SqliteConnection(PenguinMailsOptions options) =>
        string.IsNullOrWhiteSpace(options.Database.ConnectionString)
            ? $"Data Source={options.DataPath("penguinmails.db")}"
            : options.Database.ConnectionString;

    private static string PostgresConnection(PenguinMailsOptions options) =>
        string.IsNullOrWhiteSpace(options.Database.ConnectionString)
            ? throw new InvalidOperationException("PenguinMails:Database:ConnectionString is required when the provider is postgres.")
            : options.Database.ConnectionString;
}
