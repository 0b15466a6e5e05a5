using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The request log's buffer and writer (issue 11 "Request log", off the hot path). A request adds its row to a
/// bounded in-memory channel (<c>ApiUsage:BufferCapacity</c>) and returns; this service writes the raw rows that gathered
/// every <c>ApiUsage:FlushMilliseconds</c> (100) in batches of up to <c>ApiUsage:BatchSize</c> (on SQLite through
/// <see cref="SqliteRequestRows"/>, on PostgreSQL by <c>COPY</c>), and adds what they sum to — roll-ups and the keys'
/// <c>last_used_at</c> — every <c>ApiUsage:RollupFlushMilliseconds</c> (1000), or as soon as no request is waiting, in a
/// transaction of their own. Rows are written soon so that they die young (held for a second, they cost the garbage
/// collector about as much as their writing); sums are written seldom because each write of them is a round of upserts. When the
/// buffer is full the row is dropped, never waited for: the request is answered all the same, and the drop is
/// counted (<c>penguinmails.api_usage.unrecorded</c>, reason <c>buffer_full</c>, and <see cref="Dropped"/>, which
/// the usage API reports as <c>meta.dropped_requests</c>). A batch the database refuses is logged and counted
/// (reason <c>error</c>) rather than retried, and left out of the sums; sums the database refuses are logged and counted
/// (reason <c>rollup_error</c>, by request). A node killed outright (SIGKILL) loses at most its last second of sums.
/// </summary>
public sealed class ApiRequestLog : BackgroundService
{
    public const string MeterName = "PenguinMails.ApiUsage";

    private readonly Channel<CapturedRequest> _buffer;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly IServiceScopeFactory _scopes;
    private readonly Delivery.WriteGate _gate;
    private readonly TimeProvider _time;
    private readonly ApiUsageOptions _options;
    private readonly ILogger<ApiRequestLog> _logger;
    private readonly Counter<long> _unrecorded;
    private readonly Counter<long> _unattributed;
    private long _dropped;
    private readonly Dictionary<(int, DateTime, Guid, bool, string, int, string), ApiUsageRollup> _sums = [];
    private readonly Dictionary<Guid, DateTime> _lastUsed = [];
    private SqliteRequestRows? _sqliteRows;

    public ApiRequestLog(
        IServiceScopeFactory scopes, Delivery.WriteGate gate, TimeProvider time, IOptions<PenguinMailsOptions> options, IMeterFactory meters,
        ILogger<ApiRequestLog> logger)
    {
        _scopes = scopes;
        _gate = gate;
        _time = time;
        _options = options.Value.ApiUsage;
        _logger = logger;
        _buffer = Channel.CreateBounded<CapturedRequest>(new BoundedChannelOptions(Math.Max(1, _options.BufferCapacity))
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

    internal void Record(in CapturedRequest request)
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
            var flushesPerSum = Math.Max(1, _options.RollupFlushMilliseconds / Math.Max(1, _options.FlushMilliseconds));
            var flushes = 0;
            while (true)
            {
                if (!_buffer.Reader.TryPeek(out _))
                {
                    await WriteSumsAsync(CancellationToken.None); // nothing waiting: the figures need not wait either
                }

                if (!await _buffer.Reader.WaitToReadAsync(stoppingToken))
                {
                    break;
                }

                // Let a batch gather: a write per interval costs the server far less than a write per handful of requests.
                await _time.SleepUntilAsync(_time.GetUtcNow() + gather, stoppingToken);
                await WriteWaitingAsync(sums: ++flushes % flushesPerSum == 0, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await WriteWaitingAsync(sums: true, CancellationToken.None);
        }
    }

    public override void Dispose()
    {
        _sqliteRows?.Dispose();
        base.Dispose();
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

    /// <summary>Writes everything buffered so far and its sums, and waits for a batch another caller is writing.</summary>
    public Task FlushAsync(CancellationToken ct) => WriteWaitingAsync(sums: true, ct);

    private async Task WriteWaitingAsync(bool sums, CancellationToken ct)
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
                    batch.Add(request.ToRow());
                }

                await WriteBatchAsync(batch, ct);
            }
            while (batch.Count > 0);

            if (sums)
            {
                await WriteSumsLockedAsync(ct);
            }
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
            using var turn = await _gate.EnterAsync(db, ct); // SQLite: wait our turn, not in the driver's 150 ms busy sleeps
            if (db is SqliteAppDb)
            {
                (_sqliteRows ??= new SqliteRequestRows(db.Database.GetConnectionString()!)).Write(db, rows);
            }
            else
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await BulkInsert.WriteAsync(db, rows, ct);
                await transaction.CommitAsync(ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _unrecorded.Add(rows.Count, new KeyValuePair<string, object?>("reason", "error"));
            _logger.LogError(e, "Writing {Count} request log rows failed; they are not recorded", rows.Count);
            return;
        }

        foreach (var row in rows)
        {
            RollupWriter.AddTo(_sums, row);
            KeyLastUsed.Note(_lastUsed, row);
        }
    }

    private async Task WriteSumsAsync(CancellationToken ct)
    {
        await _writing.WaitAsync(ct);
        try
        {
            await WriteSumsLockedAsync(ct);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>Adds the gathered roll-ups and last uses to the database in one transaction; called holding <c>_writing</c>.</summary>
    private async Task WriteSumsLockedAsync(CancellationToken ct)
    {
        if (_sums.Count == 0 && _lastUsed.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            using var turn = await _gate.EnterAsync(db, ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await RollupWriter.AddAsync(db, RollupWriter.InKeyOrder(_sums), ct);
            await KeyLastUsed.MoveForwardAsync(db, _lastUsed, ct);
            await transaction.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var requests = _sums.Values.Where(r => r.Grain == ApiUsageRollup.MinuteGrain).Sum(r => r.Requests);
            _unrecorded.Add(requests, new KeyValuePair<string, object?>("reason", "rollup_error"));
            _logger.LogError(e, "Adding the roll-ups of {Count} requests failed; the usage figures leave them out", requests);
        }

        _sums.Clear();
        _lastUsed.Clear();
    }
}
