using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using PenguinMails.Data;

namespace PenguinMails.RateLimiting;

/// <summary>
/// Chooses the store for each decision: Redis when it is configured and reachable, else this node's
/// in-process store — local limits, never no limit. A failed or slow Redis call (PenguinMails:Redis:TimeoutMilliseconds)
/// switches the node to local at once and logs it once per outage; a probe every PenguinMails:Redis:ProbeSeconds
/// switches it back when Redis answers again. Requests never wait for the probe, and never see Redis's errors.
/// Not an <see cref="IRateLimitStore"/> itself: it picks one.
/// </summary>
public sealed class FailoverRateLimitStore : BackgroundService
{
    public const string MeterName = "PenguinMails.RateLimiting";

    private readonly InProcessRateLimitStore _local;
    private readonly RedisOptions _options;
    private readonly bool _enabled;
    private readonly TimeProvider _time;
    private readonly ILogger<FailoverRateLimitStore> _logger;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _failovers;
    private ConnectionMultiplexer? _connection;
    private volatile RedisRateLimitStore? _redis;
    private int _state = (int)RedisState.Connecting;

    public FailoverRateLimitStore(InProcessRateLimitStore local, IOptions<PenguinMailsOptions> options, TimeProvider time,
        IMeterFactory meters, ILogger<FailoverRateLimitStore> logger)
    {
        _local = local;
        _options = options.Value.Redis;
        _enabled = options.Value.RateLimits.Enabled;
        _time = time;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _decisions = meter.CreateCounter<long>("penguinmails.rate_limit.decisions", "{request}",
            "Rate-limit decisions, by result (allowed, refused) and store (redis, local)");
        _failovers = meter.CreateCounter<long>("penguinmails.rate_limit.redis_outages", "{outage}",
            "Times this node lost Redis and went on with local limits");
        meter.CreateObservableGauge("penguinmails.rate_limit.redis_available", () => UsingRedis ? 1 : 0, "1",
            "1 while decisions are shared through Redis, 0 while they are local");
    }

    private enum RedisState
    {
        Connecting,
        Up,
        Down,
    }

    public bool RedisConfigured => !string.IsNullOrWhiteSpace(_options.ConnectionString);

    private bool UsingRedis => Volatile.Read(ref _state) == (int)RedisState.Up;

    /// <summary>Off the request path, the probe may wait longer than a request would (its first call also warms up).</summary>
    private int ProbeTimeoutMilliseconds => Math.Max(1000, _options.TimeoutMilliseconds * 4);

    /// <summary>What /readyz reports: "redis", "local", "local (redis unreachable)", ...</summary>
    public string State => !_enabled ? "off"
        : !RedisConfigured ? "local"
        : (RedisState)Volatile.Read(ref _state) switch
        {
            RedisState.Up => "redis",
            RedisState.Down => "local (redis unreachable)",
            _ => "local (connecting to redis)",
        };

    public async ValueTask<RateLimitDecision> AcquireAsync(Guid tenantId, RatePolicy policy, long now, CancellationToken ct)
    {
        if (UsingRedis && _redis is { } redis)
        {
            try
            {
                var shared = await redis.AcquireAsync(tenantId, policy, now, ct);
                Count(shared, "redis");
                return shared;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                MarkDown(e);
            }
        }

        var local = await _local.AcquireAsync(tenantId, policy, now, ct);
        Count(local, "local");
        return local;
    }

    /// <summary>
    /// The tenant's TAT as the next decision would read it, from the same store, and whether that store is shared by
    /// every node (Redis) or is this node's own (no Redis configured, or Redis unreachable).
    /// </summary>
    public async ValueTask<(long? Tat, bool Shared)> PeekAsync(Guid tenantId, CancellationToken ct)
    {
        if (UsingRedis && _redis is { } redis)
        {
            try
            {
                return (await redis.PeekAsync(tenantId, ct), true);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                MarkDown(e);
            }
        }

        return (await _local.PeekAsync(tenantId, ct), false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled || !RedisConfigured)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(_options.ProbeSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = _time.GetUtcNow() + interval; // counted from this probe's start
                await ProbeAsync();
                await _time.SleepUntilAsync(next, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync()
    {
        try
        {
            _connection ??= await ConnectionMultiplexer.ConnectAsync(Configuration());
            if (UsingRedis)
            {
                if (!_connection.IsConnected)
                {
                    MarkDown(null);
                }

                return;
            }

            var redis = _redis ??= new RedisRateLimitStore(
                _connection, _options.KeyPrefix, TimeSpan.FromMilliseconds(_options.TimeoutMilliseconds));
            await redis.ProbeAsync(GcraLimiter.ToMicros(_time.GetUtcNow()), TimeSpan.FromMilliseconds(ProbeTimeoutMilliseconds));
            MarkUp();
        }
        catch (Exception e)
        {
            MarkDown(e);
        }
    }

    private ConfigurationOptions Configuration()
    {
        var configuration = ConfigurationOptions.Parse(_options.ConnectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "penguinmails";
        // The client's own timeouts are the probe's; a request's shorter one is RedisRateLimitStore's.
        configuration.ConnectTimeout = ProbeTimeoutMilliseconds;
        configuration.AsyncTimeout = ProbeTimeoutMilliseconds;
        configuration.SyncTimeout = ProbeTimeoutMilliseconds;
        configuration.ConnectRetry = 1;
        // Fail at once while disconnected (the caller goes local) instead of queueing commands for later.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new LinearRetry(500);
        return configuration;
    }

    private void MarkUp()
    {
        var previous = (RedisState)Interlocked.Exchange(ref _state, (int)RedisState.Up);
        if (previous == RedisState.Down)
        {
            _logger.LogInformation("Redis is reachable again; rate limits are shared across nodes again");
        }
        else if (previous == RedisState.Connecting)
        {
            _logger.LogInformation("Rate limits are shared across nodes through Redis");
        }
    }

    private void MarkDown(Exception? error)
    {
        var previous = (RedisState)Interlocked.Exchange(ref _state, (int)RedisState.Down);
        if (previous != RedisState.Down)
        {
            _failovers.Add(1);
            // The cause without its stack: an outage is an operating condition, not a bug.
            _logger.LogWarning("Redis is unreachable ({Reason}); this node enforces rate limits locally until it answers again",
                error?.GetBaseException().Message ?? "disconnected");
        }
    }

    private void Count(RateLimitDecision decision, string store) =>
        _decisions.Add(1, new KeyValuePair<string, object?>("result", decision.Allowed ? "allowed" : "refused"),
            new KeyValuePair<string, object?>("store", store));

    public override void Dispose()
    {
        base.Dispose();
        _connection?.Dispose();
    }
}
