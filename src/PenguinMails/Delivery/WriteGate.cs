using PenguinMails.Data;

namespace PenguinMails.Delivery;

/// <summary>
/// On SQLite, one writer at a time per node: sends and the dispatcher's workers take turns for their short write
/// transactions instead of meeting SQLITE_BUSY and sleeping in the driver's retry loop. PostgreSQL needs no gate.
/// </summary>
public sealed class WriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable?> EnterAsync(AppDb db, CancellationToken ct)
    {
        if (db is PostgresAppDb)
        {
            return null;
        }

        await _gate.WaitAsync(ct);
        return new Release(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
