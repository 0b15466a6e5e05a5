using System.Data.Common;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace PenguinMails.Data;

/// <summary>
/// Writes many rows of one entity type as fast as each database takes them, bypassing the change tracker:
/// PostgreSQL through binary <c>COPY ... FROM STDIN</c> (Npgsql's importer), SQLite through one prepared single-row
/// <c>INSERT</c> bound by position (<see cref="SqliteRowWriter"/>), or, for an entity it cannot bind, a prepared
/// multi-row <c>INSERT</c> through Microsoft.Data.Sqlite executed per 64 parameters. All inside the caller's transaction,
/// which must be open. Values are converted by the same EF type mappings (and value converters) as EF's own writes, so
/// what EF reads back is exactly what it would have written. No generated values, no conflicts handled: the rows must be new.
/// </summary>
internal static class BulkInsert
{
    /// <summary>Inserts <paramref name="rows"/> into <typeparamref name="T"/>'s table, every mapped scalar column.</summary>
    /// <exception cref="InvalidOperationException">No transaction is open on <paramref name="db"/>.</exception>
    public static async Task WriteAsync<T>(AppDb db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
            ?? throw new InvalidOperationException("BulkInsert needs an open transaction.");
        var table = Table.Of(db.Model.FindEntityType(typeof(T))!);
        if (transaction.Connection is NpgsqlConnection postgres)
        {
            await CopyAsync(postgres, table, rows, ct);
        }
        else if (transaction.Connection is Microsoft.Data.Sqlite.SqliteConnection sqlite && table.ByPosition.Value is { } writer)
        {
            ct.ThrowIfCancellationRequested();
            writer.Write(sqlite, rows);
        }
        else
        {
            await InsertPreparedAsync(transaction, table, rows, ct);
        }
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, Table table, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var copy = $"COPY {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in table.Columns)
            {
                if (column.ProviderValue(row) is { } value)
                {
                    await importer.WriteAsync(value, column.Mapping.StoreTypeNameBase, ct);
                }
                else
                {
                    await importer.WriteNullAsync(ct);
                }
            }
        }

        await importer.CompleteAsync(ct);
    }

    /// <summary>
    /// Microsoft.Data.Sqlite binds every parameter by name on each execution, and SQLite finds a name by a linear search,
    /// so one execution costs the square of its parameters: 64 rows of a 30-column table bound three times slower per row
    /// than single rows (bench/README.md, issue 16). About 64 parameters a statement keeps both that search and the
    /// per-statement step small.
    /// </summary>
    private const int ParametersPerStatement = 64;

    private static async Task InsertPreparedAsync<T>(DbTransaction transaction, Table table, IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        var rowsPerStatement = Math.Max(1, ParametersPerStatement / table.Columns.Length);
        await using var full = await PrepareAsync(transaction, table, rowsPerStatement, ct);
        DbCommand? rest = null;
        try
        {
            foreach (var chunk in rows.Chunk(rowsPerStatement))
            {
                ct.ThrowIfCancellationRequested();
                var command = chunk.Length == rowsPerStatement ? full
                    : rest = await PrepareAsync(transaction, table, chunk.Length, ct);
                var parameter = 0;
                foreach (var row in chunk)
                {
                    foreach (var column in table.Columns)
                    {
                        command.Parameters[parameter++].Value = column.ProviderValue(row) ?? DBNull.Value;
                    }
                }

                command.ExecuteNonQuery(); // Microsoft.Data.Sqlite's async calls run synchronously anyway, with more overhead
            }
        }
        finally
        {
            if (rest is not null)
            {
                await rest.DisposeAsync();
            }
        }
    }

    private static async Task<DbCommand> PrepareAsync(DbTransaction transaction, Table table, int rowCount, CancellationToken ct)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        var width = table.Columns.Length;
        var values = Enumerable.Range(0, rowCount)
            .Select(r => "(" + string.Join(", ", Enumerable.Range(0, width).Select(c => $"@p{r * width + c}")) + ")");
        command.CommandText = $"INSERT INTO {table.Name} ({string.Join(", ", table.Columns.Select(c => c.Name))}) VALUES {string.Join(", ", values)}";
        for (var r = 0; r < rowCount; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var column = table.Columns[c];
                command.Parameters.Add(column.Mapping.CreateParameter(command, $"@p{r * width + c}", null, column.Property.IsNullable));
            }
        }

        await command.PrepareAsync(ct);
        return command;
    }

    private sealed record Column(string Name, IProperty Property, RelationalTypeMapping Mapping)
    {
        public object? ProviderValue(object row)
        {
            var value = Property.GetGetter().GetClrValue(row);
            return value is null ? null : Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
        }
    }

    /// <summary>Names as delimited identifiers (the same in SQLite and PostgreSQL): a column may be a keyword (<c>from</c>).</summary>
    private sealed record Table(string Name, Column[] Columns, IEntityType Entity)
    {
        /// <summary>SQLite's positional writer for this table, built on first use; null when a column cannot be bound so.</summary>
        public Lazy<SqliteRowWriter?> ByPosition { get; } = new(() =>
            SqliteRowWriter.For(Entity, Name, [.. Columns.Select(c => (c.Name, c.Property, c.Mapping))]));

        private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<IEntityType, Table> Known = new();

        public static Table Of(IEntityType entity) => Known.GetOrAdd(entity, static e =>
        {
            var store = StoreObjectIdentifier.Table(e.GetTableName()!, e.GetSchema());
            var columns = e.GetProperties()
                .Select(p => new Column(Quoted(p.GetColumnName(store)!), p, (RelationalTypeMapping)p.GetTypeMapping()))
                .ToArray();
            return new Table(Quoted(e.GetTableName()!), columns, e);
        });
    }
}
