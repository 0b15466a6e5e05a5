using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PenguinMails.Data;

/// <summary>
/// Gives every SQLite connection SQLite's own busy handler (<c>sqlite3_busy_timeout</c>, <see cref="Milliseconds"/>), so a
/// writer that finds another writer's lock waits in steps of 1 to 100 ms while the lock is held. Without it
/// Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms each time: a send that met the request log's
/// or a worker's short write waited 150 ms for a lock held for 3. The node's own frequent writers also take turns
/// (<see cref="Delivery.WriteGate"/>); this covers every other write, and other processes (the CLI) on the same file.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    /// <summary>How long a statement waits for a lock before Microsoft.Data.Sqlite's retry loop (CommandTimeout) takes over.</summary>
    public const int Milliseconds = 5_000;

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets the busy timeout on an open SQLite connection (a C call; nothing is parsed or executed).</summary>
    public static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, Milliseconds);
        }
    }
}
