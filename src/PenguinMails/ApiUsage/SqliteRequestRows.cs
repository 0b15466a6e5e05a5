using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using PenguinMails.Data;
using SQLitePCL;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The request log's raw rows on SQLite, the cheapest way SQLite takes them: one connection and one prepared single-row
/// <c>INSERT</c> kept for the life of the process, a transaction per batch, and each value bound by position straight
/// through SQLite's C API (SQLitePCLRaw, the library under Microsoft.Data.Sqlite) in the form EF Core's SQLite provider
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

    /// <summary>How EF Core's SQLite provider writes a <see cref="DateTime"/> (SqliteDateTimeTypeMapping).</summary>
    private const string TimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    private const int BusyTimeoutMilliseconds = 30_000; // as Microsoft.Data.Sqlite's default command timeout

    private readonly Dictionary<Guid, string> _ids = [];
    private SqliteConnection? _connection;
    private sqlite3_stmt? _insert;

    /// <summary>Writes <paramref name="rows"/> in one transaction; on any failure the connection is dropped and opened afresh next time.</summary>
    /// <exception cref="InvalidOperationException">The model's <c>api_requests</c> differs from the columns this writer binds.</exception>
    /// <exception cref="SqliteException">SQLite refused a row, or stayed locked by another writer for 30 s.</exception>
    public void Write(AppDb db, IReadOnlyList<ApiRequest> rows)
    {
        try
        {
            var insert = _insert ??= Prepare(db);
            using var transaction = _connection!.BeginTransaction();
            Span<char> text = stackalloc char[40];
            foreach (var row in rows)
            {
                BindText(insert, 1, Text(row.TenantId));
                BindText(insert, 2, TimeText(row.OccurredAt, text));
                BindText(insert, 3, UpperText(row.Id, text));
                BindText(insert, 4, Text(row.ApiKeyId));
                Check(raw.sqlite3_bind_int(insert, 5, row.Authenticated ? 1 : 0));
                BindText(insert, 6, row.ClientIp);
                Check(raw.sqlite3_bind_double(insert, 7, row.DurationMs));
                BindText(insert, 8, row.Endpoint);
                BindText(insert, 9, row.Environment);
                BindText(insert, 10, row.ErrorCode);
                BindText(insert, 11, row.ErrorMessage);
                BindText(insert, 12, row.RequestId);
                Check(raw.sqlite3_bind_int(insert, 13, row.Status));
                BindText(insert, 14, row.UserAgent);
                var done = raw.sqlite3_step(insert);
                raw.sqlite3_reset(insert);
                if (done != raw.SQLITE_DONE)
                {
                    Check(done);
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

    private void BindText(sqlite3_stmt insert, int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(insert, index));
        }
        else
        {
            BindText(insert, index, value.AsSpan());
        }
    }

    private void BindText(sqlite3_stmt insert, int index, ReadOnlySpan<char> value) =>
        // An empty span has no address, which SQLite would take for NULL; the string overload passes "" as "".
        Check(value.IsEmpty ? raw.sqlite3_bind_text(insert, index, "") : raw.sqlite3_bind_text16(insert, index, value));

    private void Check(int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, _connection!.Handle);
        }
    }

    /// <summary>GUIDs as EF's SQLite mapping stores them; tenants and keys are few, so each is converted once.</summary>
    private string Text(Guid id)
    {
        if (!_ids.TryGetValue(id, out var text))
        {
            text = id.ToString().ToUpperInvariant();
            if (_ids.Count < 4096)
            {
                _ids[id] = text;
            }
        }

        return text;
    }

    private static ReadOnlySpan<char> TimeText(DateTime at, Span<char> buffer)
    {
        at.TryFormat(buffer, out var length, TimeFormat, CultureInfo.InvariantCulture); // 27 characters at most
        return buffer[..length];
    }

    private static ReadOnlySpan<char> UpperText(Guid id, Span<char> buffer)
    {
        id.TryFormat(buffer, out var length);
        var text = buffer[..length];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = char.ToUpperInvariant(text[i]);
        }

        return text;
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
        (_insert, _connection) = (null, null);
    }
}
