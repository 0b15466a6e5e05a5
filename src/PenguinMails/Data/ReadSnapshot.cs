using System.Data;
using Microsoft.Data.Sqlite;

namespace PenguinMails.Data;

/// <summary>
/// Several queries that answer one request as one moment of the database. A view assembled from separate queries
/// (a message, then its events, then its delivery attempts) otherwise reads each table at a different time: a
/// delivery recorded between two of them showed a message still <c>deferred</c> with the next attempt already listed,
/// and a <c>next_attempt_at</c> in the past. On PostgreSQL the queries run in a <c>REPEATABLE READ</c> transaction (one
/// snapshot, taken at its first query; read-only, so never a serialization failure); on SQLite in a deferred
/// transaction, whose first read fixes the WAL snapshot without taking the write lock.
/// </summary>
public static class ReadSnapshot
{
    /// <summary>Runs <paramref name="read"/> in one snapshot (in the caller's transaction when there is one already).</summary>
    public static async Task<T> InSnapshotAsync<T>(this AppDb db, Func<Task<T>> read, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await read();
        }

        if (db is PostgresAppDb)
        {
            await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            var answer = await read();
            await snapshot.CommitAsync(ct);
            return answer;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var deferred = ((SqliteConnection)db.Database.GetDbConnection()).BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(deferred, ct);
            var answer = await read();
            await deferred.CommitAsync(ct);
            return answer;
        }
        finally
        {
            await db.Database.UseTransactionAsync(null, ct);
            await db.Database.CloseConnectionAsync();
        }
    }
}
