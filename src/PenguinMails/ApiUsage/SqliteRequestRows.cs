using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using PenguinMails.Data;
using SQLitePCL;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The request log's raw rows on SQLite, the cheapest way SQLite takes them: one connection and one prepared single-row
/// <c>INSERT</c> kept for the life of the process, a transaction per batch, and each value bound by position straight
/// through SQLite's C API (<see cref="SqliteRowWriter.Binder"/>, as BulkInsert binds) in the form EF Core's SQLite provider
/// stores it: GUIDs as upper-case text, times as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c> text, booleans as 0 and 1. Bound by
/// name through Microsoft.Data.Sqlite, a row cost 6.6 µs of CPU at 35,000 requests a second — a sixth of the server's
/// — mostly in boxing, formatting and SQLite's by-name parameter lookup (bench/README.md "Where the request log's cost
/// lies"). <c>synchronous = NORMAL</c> on this connection only: in WAL mode a commit then waits for no fsync, and a
/// power cut can lose the request log's last commits but never corrupt the database
/// (https://sqlite.org/pragma.html#pragma_synchronous). Not thread-safe: the request log's single writer uses it.
/// PostgreSQL takes its rows by <c>COPY</c> through <see cref="BulkInsert"/>.
/// </summary>
internal sealed class SqliteRequestRows(string connectionString) : IDisposable
{
    /// <summary>The columns in the order of the statement's parameters, with the store type EF gives each.</summary>
    private static readonly (string Property, string StoreType)[] Columns =
    [
        (nameof(ApiRequest.TenantId), "TEXT"),
        (nameof(ApiRequest.OccurredAt), "TEXT"),
        (nameof(ApiRequest.Id), "TEXT"),
        (nameof(ApiRequest.ApiKeyId), "TEXT"),
        (nameof(ApiRequest.Authenticated), "INTEGER"),
        (nameof(ApiRequest.ClientIp), "TEXT"),
        (nameof(ApiRequest.DurationMs), "REAL"),
        (nameof(ApiRequest.Endpoint), "TEXT"),
        (nameof(ApiRequest.Environment), "TEXT"),
        (nameof(ApiRequest.ErrorCode), "TEXT"),
        (nameof(ApiRequest.ErrorMessage), "TEXT"),
        (nameof(ApiRequest.RequestId), "TEXT"),
        (nameof(ApiRequest.Status), "INTEGER"),
        (nameof(ApiRequest.UserAgent), "TEXT"),
    ];

    private const int BusyTimeoutMilliseconds = 30_000; // as Microsoft.Data.Sqlite's default command timeout

    private SqliteConnection? _connection;
    private sqlite3_stmt? _insert;
    private SqliteRowWriter.Binder? _binder;

    /// <summary>Writes <paramref name="rows"/> in one transaction; on any failure the connection is dropped and opened afresh next time.</summary>
    /// <exception cref="InvalidOperationException">The model's <c>api_requests</c> differs from the columns this writer binds.</exception>
    /// <exception cref="SqliteException">SQLite refused a row, or stayed locked by another writer for 30 s.</exception>
    public void Write(AppDb db, IReadOnlyList<ApiRequest> rows)
    {
        try
        {
            var insert = _insert ??= Prepare(db);
            var bind = _binder ??= new SqliteRowWriter.Binder(_connection!.Handle!, insert);
            using var transaction = _connection!.BeginTransaction();
            foreach (var row in rows)
            {
                bind.Guid(1, row.TenantId);
                bind.Time(2, row.OccurredAt);
                bind.Guid(3, row.Id);
                NullableGuid(bind, 4, row.ApiKeyId);
                bind.Boolean(5, row.Authenticated);
                NullableText(bind, 6, row.ClientIp);
                bind.Real(7, row.DurationMs);
                bind.Text(8, row.Endpoint);
                bind.Text(9, row.Environment);
                NullableText(bind, 10, row.ErrorCode);
                NullableText(bind, 11, row.ErrorMessage);
                bind.Text(12, row.RequestId);
                bind.Integer(13, row.Status);
                NullableText(bind, 14, row.UserAgent);
                var done = raw.sqlite3_step(insert);
                raw.sqlite3_reset(insert);
                if (done != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(done, _connection.Handle);
                }
            }

            transaction.Commit();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static void NullableText(SqliteRowWriter.Binder bind, int index, string? value)
    {
        if (value is null)
        {
            bind.Null(index);
        }
        else
        {
            bind.Text(index, value);
        }
    }

    private static void NullableGuid(SqliteRowWriter.Binder bind, int index, Guid? value)
    {
        if (value is { } id)
        {
            bind.Guid(index, id);
        }
        else
        {
            bind.Null(index);
        }
    }

    private void Check(int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, _connection!.Handle);
        }
    }

    private sqlite3_stmt Prepare(AppDb db)
    {
        var entity = db.Model.FindEntityType(typeof(ApiRequest))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var differences = entity.GetProperties().Select(p => (Name: p.Name, StoreType: p.GetColumnType(store))).ToHashSet();
        differences.SymmetricExceptWith(Columns.Select(c => (Name: c.Property, c.StoreType)));
        if (differences.Count > 0)
        {
            throw new InvalidOperationException(
                $"api_requests differs from what the request log binds: {string.Join(", ", differences.Select(d => $"{d.Name} {d.StoreType}"))}.");
        }

        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            pragma.ExecuteNonQuery();
        }

        Check(raw.sqlite3_busy_timeout(_connection.Handle, BusyTimeoutMilliseconds));
        var names = Columns.Select(c => Quoted(entity.FindProperty(c.Property)!.GetColumnName(store)!));
        var sql = $"INSERT INTO {Quoted(entity.GetTableName()!)} ({string.Join(", ", names)}) "
            + $"VALUES ({string.Join(", ", Columns.Select((_, i) => $"?{i + 1}"))})";
        Check(raw.sqlite3_prepare_v2(_connection.Handle, sql, out var insert));
        return insert;
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public void Dispose()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        (_insert, _connection, _binder) = (null, null, null);
    }
}
