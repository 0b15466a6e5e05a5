using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The request log's buffer and writer (issue 11 "Request log", off the hot path). A request adds its row to a
/// bounded in-memory channel (<c>ApiUsage:BufferCapacity</c>) and returns; this service writes what gathered every
/// <c>ApiUsage:FlushMilliseconds</c> in batches of up to <c>ApiUsage:BatchSize</c>, raw rows (<see cref="BulkInsert"/>), roll-ups and the keys' <c>last_used_at</c> in one transaction. When the
/// buffer is full the row is dropped, never waited for: the request is answered all the same, and the drop is
/// counted (<c>penguinmails.api_usage.unrecorded</c>, reason <c>buffer_full</c>, and <see cref="Dropped"/>, which
/// the usage API reports as <c>meta.dropped_requests</c>). A batch the database refuses is logged and counted
/// (reason <c>error</c>) rather than retried, since its roll-ups may be partly added on another attempt.
/// </summary>
public sealed class ApiRequestLog : BackgroundService
{
    public const string MeterName = "PenguinMails.ApiUsage";

    private readonly Channel<ApiRequest> _buffer;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ApiUsageOptions _options;
    private readonly ILogger<ApiRequestLog> _logger;
    private readonly Counter<long> _unrecorded;
    private readonly Counter<long> _unattributed;
    private long _dropped;

    public ApiRequestLog(
        IServiceScopeFactory scopes, TimeProvider time, IOptions<PenguinMailsOptions> options, IMeterFactory meters, ILogger<ApiRequestLog> logger)
    {
        _scopes = scopes;
        _time = time;
        _options = options.Value.ApiUsage;
        _logger = logger;
        _buffer = Channel.CreateBounded<ApiRequest>(new BoundedChannelOptions(Math.Max(1, _options.BufferCapacity))
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: refuse at once when full, never block
        });
        var meter = meters.Create(MeterName);
        _unrecorded = meter.CreateCounter<long>("penguinmails.api_usage.unrecorded", "{request}",
            "Requests answered but not in the request log, by reason (buffer_full, error)");
        _unattributed = meter.CreateCounter<long>("penguinmails.api_usage.unattributed", "{request}",
            "Requests refused before a key named any tenant (no key, unknown key): counted here only");
    }

    /// <summary>Rows this node dropped because its buffer was full, since it started.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(ApiRequest request)
    {
        if (!_buffer.Writer.TryWrite(request))
        {
            Interlocked.Increment(ref _dropped);
            _unrecorded.Add(1, new KeyValuePair<string, object?>("reason", "buffer_full"));
        }
    }

    public void RecordUnattributed() => _unattributed.Add(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var gather = TimeSpan.FromMilliseconds(_options.FlushMilliseconds);
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                // Let a batch gather: under load one write an interval (a roll-up row per key and route, not per
                // request) costs the server far less CPU than a write per handful of requests.
                await Task.Delay(gather, _time, stoppingToken);
                await WriteWaitingAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await WriteWaitingAsync(CancellationToken.None);
        }
    }

    /// <summary>Holds the writer as a stalled database would, until disposed (tests of the buffer-full path).</summary>
    internal async Task<IDisposable> HoldWritesAsync()
    {
        await _writing.WaitAsync();
        return new Release(_writing);
    }

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }

    /// <summary>Writes everything buffered so far, and waits for a batch another caller is writing.</summary>
    public Task FlushAsync(CancellationToken ct) => WriteWaitingAsync(ct);

    private async Task WriteWaitingAsync(CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            var batch = new List<ApiRequest>();
            do
            {
                batch.Clear();
                while (batch.Count < _options.BatchSize && _buffer.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                }

                await WriteBatchAsync(batch, ct);
            }
            while (batch.Count > 0);
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task WriteBatchAsync(List<ApiRequest> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await BulkInsert.WriteAsync(db, rows, ct);
            await RollupWriter.AddAsync(db, RollupWriter.Aggregate(rows), ct);
            await KeyLastUsed.MoveForwardAsync(db, rows, ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _unrecorded.Add(rows.Count, new KeyValuePair<string, object?>("reason", "error"));
            _logger.LogError(e, "Writing {Count} request log rows failed; they are not recorded", rows.Count);
        }
    }
}
