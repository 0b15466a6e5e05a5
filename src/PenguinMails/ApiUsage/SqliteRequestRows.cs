using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The request log's raw rows on SQLite, the cheapest way SQLite takes them: one connection and one prepared single-row
/// <c>INSERT</c> kept for the life of the process, a transaction per batch, values bound already in the form EF stores
/// them (GUIDs as upper-case text, the few tenant and key ids converted once), and <c>synchronous = NORMAL</c> on this
/// connection only: in WAL mode a commit then waits for no fsync, and a power cut can lose the request log's last commits
/// but never corrupt the database (https://sqlite.org/pragma.html#pragma_synchronous). <see cref="BulkInsert"/>'s general path
/// re-prepares multi-row statements per batch and converts every value through EF's getters, which cost a tenth of the
/// server's CPU at 30,000 requests a second (bench/README.md "Where the request log's cost lies"). Not thread-safe: the
/// request log's single writer uses it. PostgreSQL takes its rows by <c>COPY</c> through <see cref="BulkInsert"/>.
/// </summary>
internal sealed class SqliteRequestRows(string connectionString) : IDisposable
{
    private static readonly (string Property, Func<ApiRequest, object?> Value)[] Columns =
    [
        (nameof(ApiRequest.TenantId), r => r.TenantId),
        (nameof(ApiRequest.OccurredAt), r => r.OccurredAt),
        (nameof(ApiRequest.Id), r => r.Id),
        (nameof(ApiRequest.ApiKeyId), r => r.ApiKeyId),
        (nameof(ApiRequest.Authenticated), r => r.Authenticated),
        (nameof(ApiRequest.ClientIp), r => r.ClientIp),
        (nameof(ApiRequest.DurationMs), r => r.DurationMs),
        (nameof(ApiRequest.Endpoint), r => r.Endpoint),
        (nameof(ApiRequest.Environment), r => r.Environment),
        (nameof(ApiRequest.ErrorCode), r => r.ErrorCode),
        (nameof(ApiRequest.ErrorMessage), r => r.ErrorMessage),
        (nameof(ApiRequest.RequestId), r => r.RequestId),
        (nameof(ApiRequest.Status), r => r.Status),
        (nameof(ApiRequest.UserAgent), r => r.UserAgent),
    ];

    private readonly Dictionary<Guid, string> _ids = [];
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

    /// <summary>Writes <paramref name="rows"/> in one transaction; on any failure the connection is dropped and opened afresh next time.</summary>
    /// <exception cref="InvalidOperationException">The model's <c>api_requests</c> has columns this writer does not know.</exception>
    public void Write(AppDb db, IReadOnlyList<ApiRequest> rows)
    {
        try
        {
            var insert = _insert ??= Prepare(db);
            using var transaction = _connection!.BeginTransaction();
            insert.Transaction = transaction;
            var parameters = insert.Parameters;
            foreach (var row in rows)
            {
                for (var c = 0; c < Columns.Length; c++)
                {
                    parameters[c].Value = Columns[c].Value(row) switch
                    {
                        null => DBNull.Value,
                        Guid id => Text(id),
                        var value => value,
                    };
                }

                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>GUIDs as EF's SQLite mapping stores them; tenants and keys are few, so each is converted once.</summary>
    private string Text(Guid id)
    {
        if (_ids.TryGetValue(id, out var text))
        {
            return text;
        }

        text = id.ToString().ToUpperInvariant();
        if (_ids.Count < 4096)
        {
            _ids[id] = text; // request ids are unique: the cache fills with tenants and keys first, then stops growing
        }

        return text;
    }

    private SqliteCommand Prepare(AppDb db)
    {
        var entity = db.Model.FindEntityType(typeof(ApiRequest))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var unknown = entity.GetProperties().Select(p => p.Name).Except(Columns.Select(c => c.Property)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException($"api_requests has columns the request log does not write: {string.Join(", ", unknown)}.");
        }

        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = NORMAL";
            pragma.ExecuteNonQuery();
        }

        var command = _connection.CreateCommand();
        var properties = Columns.Select(c => entity.FindProperty(c.Property)!).ToList();
        command.CommandText = $"INSERT INTO {Quoted(entity.GetTableName()!)} ({string.Join(", ", properties.Select(p => Quoted(p.GetColumnName(store)!)))}) "
            + $"VALUES ({string.Join(", ", properties.Select((_, i) => $"@p{i}"))})";
        foreach (var (property, i) in properties.Select((p, i) => (p, i)))
        {
            var mapping = (RelationalTypeMapping)property.GetTypeMapping();
            command.Parameters.Add((SqliteParameter)mapping.CreateParameter(command, $"@p{i}", null, property.IsNullable));
        }

        command.Prepare();
        return command;
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public void Dispose()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        (_insert, _connection) = (null, null);
    }
}
