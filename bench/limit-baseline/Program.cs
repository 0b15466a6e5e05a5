// The "limit baseline" of bench/campaign-fanout.sh and bench/contacts-import.sh (issue 16): a plain program writing
// the same rows into the same tables of the server's own database as the server's fan-out or import does, in
// transactions of the same size, with nothing else — no HTTP, no validation, no rendering, no EF. What the machine
// allows for those writes; the benches report the server's time against it.
//
//   dotnet run -c Release --project bench/limit-baseline -- fanout|import sqlite|postgres CONNECTION ROWS BATCH
//
// fanout: per message an email_messages row (a campaign's, rendered text of the bench's sizes), its email_recipients
//         row and its "Queued" email_events row, BATCH messages per transaction.
// import: per contact a contacts row, three contact_attributes rows and two contact_tags rows (the bench CSV's
//         columns), BATCH contacts per transaction.
// SQLite: one prepared single-row INSERT per table, executed for each row (ROWS_PER_STATEMENT=N: N rows a statement).
// PostgreSQL: Npgsql's binary COPY per table and transaction.
// Columns are read from the database (PRAGMA table_info / information_schema), so the rows fit the schema the server
// migrated; a column the generators below do not name is written as NULL, or 0 / false / '' where it is NOT NULL.
// Prints one line: "<rows> <seconds>", timed from the first transaction to the last commit.
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;

var (mode, provider, connectionString) = (args[0], args[1], args[2]);
var rows = int.Parse(args[3], CultureInfo.InvariantCulture);
var batch = int.Parse(args[4], CultureInfo.InvariantCulture);
var postgres = provider == "postgres";
await using DbConnection connection = postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
await connection.OpenAsync();
var tenantId = await TenantIdAsync(connection);
var now = DateTime.UtcNow;
var run = Guid.NewGuid().ToString("N")[..8];
var tables = mode switch
{
    "fanout" => FanOut(tenantId, now, run),
    "import" => Import(tenantId, now, run),
    _ => throw new ArgumentException("mode must be fanout or import"),
};
var writers = new List<TableWriter>();
foreach (var table in tables)
{
    writers.Add(await TableWriter.CreateAsync(connection, table, postgres));
}

var clock = Stopwatch.StartNew();
for (var start = 0; start < rows; start += batch)
{
    var count = Math.Min(batch, rows - start);
    await using var transaction = await connection.BeginTransactionAsync();
    foreach (var writer in writers)
    {
        await writer.WriteAsync(transaction, start, count);
    }

    await transaction.CommitAsync();
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} {clock.Elapsed.TotalSeconds:F2}"));
foreach (var writer in writers)
{
    await writer.DisposeAsync();
}

static async Task<Guid> TenantIdAsync(DbConnection connection)
{
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT id FROM tenants ORDER BY created_at LIMIT 1";
    var value = await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("no tenant");
    return value is Guid g ? g : Guid.Parse((string)value);
}

// Row i's values by column name. Ids are derived from i and the run, so a message's recipient and event name it.
static Table[] FanOut(Guid tenant, DateTime now, string run)
{
    var campaign = Guid.CreateVersion7();
    var salt = Guid.NewGuid().ToByteArray();
    Guid Id(int i, byte kind) { var b = (byte[])salt.Clone(); BitConverter.TryWriteBytes(b.AsSpan(0, 4), i); b[4] = kind; return new Guid(b); }
    return
    [
        new("email_messages", new()
        {
            ["id"] = i => Id(i, 1), ["tenant_id"] = _ => tenant, ["is_test"] = _ => false, ["from"] = _ => "news@example.com",
            ["reply_to"] = _ => Array.Empty<string>(), ["subject"] = i => $"Hi First{i}", ["html_body"] = i => $"<p>Hello First{i} Last{i} from City {i % 500}</p>",
            ["text_body"] = i => $"Hello First{i}", ["headers_json"] = _ => $"{{\"X-PenguinMails-Campaign\":\"cmp_{run}\"}}", ["tags"] = _ => Array.Empty<string>(),
            ["track_opens"] = _ => true, ["track_clicks"] = _ => true, ["status"] = _ => "Queued", ["created_at"] = _ => now,
            ["next_attempt_at"] = _ => now, ["deliver_by"] = _ => now.AddHours(72), ["attempts"] = _ => 0, ["campaign_id"] = _ => campaign,
            ["contact_id"] = i => Id(i, 2), ["attachment_count"] = _ => 0, ["domain_hold"] = _ => false,
        }),
        new("email_recipients", new()
        {
            ["id"] = i => Id(i, 3), ["tenant_id"] = _ => tenant, ["message_id"] = i => Id(i, 1), ["kind"] = _ => "To",
            ["address"] = i => $"limit-{run}-{i}@example.com", ["email"] = i => $"limit-{run}-{i}@example.com", ["status"] = _ => "Pending",
        }),
        new("email_events", new()
        {
            ["id"] = i => Id(i, 4), ["tenant_id"] = _ => tenant, ["message_id"] = i => Id(i, 1), ["type"] = _ => "Queued", ["at"] = _ => now,
            ["detail"] = _ => "campaign",
        }),
    ];
}

static Table[] Import(Guid tenant, DateTime now, string run)
{
    var salt = Guid.NewGuid().ToByteArray();
    Guid Id(int i) { var b = (byte[])salt.Clone(); BitConverter.TryWriteBytes(b.AsSpan(0, 4), i); return new Guid(b); }
    // The bench CSV's attributes (plan, city, signup_source, stored as JSON values) and tags ("odd"/"even" and t0…t6).
    return
    [
        new("contacts", new()
        {
            ["id"] = i => Id(i), ["tenant_id"] = _ => tenant, ["email"] = i => $"limit-{run}-{i}@example.com",
            ["normalized_email"] = i => $"limit-{run}-{i}@example.com", ["first_name"] = i => $"First{i}", ["last_name"] = i => $"Last{i}",
            ["status"] = _ => "Subscribed", ["created_at"] = _ => now, ["updated_at"] = _ => now,
        }),
        Attribute("plan", i => i % 10 == 0 ? "\"pro\"" : "\"free\""),
        Attribute("city", i => $"\"City {i % 500}\""),
        Attribute("signup_source", _ => "\"form\""),
        Tag(i => i % 2 == 1 ? "odd" : "even"),
        Tag(i => "t" + (i % 7).ToString(CultureInfo.InvariantCulture)),
    ];

    Table Attribute(string key, Func<int, string> value) => new("contact_attributes", new()
    {
        ["contact_id"] = i => Id(i), ["key"] = _ => key, ["tenant_id"] = _ => tenant, ["value"] = i => value(i),
    });

    Table Tag(Func<int, string> tag) => new("contact_tags", new()
    {
        ["contact_id"] = i => Id(i), ["tag"] = i => tag(i), ["tenant_id"] = _ => tenant,
    });
}

/// <summary>A table and row i's value of each column it names.</summary>
internal sealed record Table(string Name, Dictionary<string, Func<int, object?>> Values);

/// <summary>A column as the database describes it.</summary>
internal sealed record Column(string Name, string Type, bool NotNull);

/// <summary>Writes rows [start, start + count) of one table inside a transaction: COPY on PostgreSQL, prepared INSERTs on SQLite.</summary>
internal sealed class TableWriter : IAsyncDisposable
{
    /// <summary>
    /// One row per prepared INSERT by default: Microsoft.Data.Sqlite binds every parameter by name on each execution and
    /// SQLite finds a name by a linear search, so a statement's cost grows with the square of its parameters — 64 rows
    /// of email_messages' 30 columns took 3× as long as single rows. ROWS_PER_STATEMENT overrides it.
    /// </summary>
    private static readonly int RowsPerStatement = int.TryParse(Environment.GetEnvironmentVariable("ROWS_PER_STATEMENT"), out var n) && n > 0 ? n : 1;
    private readonly Table _table;
    private readonly Column[] _columns;
    private readonly Func<int, object?>[] _values;
    private readonly bool _postgres;
    private DbCommand? _full;

    private TableWriter(Table table, Column[] columns, bool postgres)
    {
        (_table, _columns, _postgres) = (table, columns, postgres);
        _values = columns.Select(c => table.Values.TryGetValue(c.Name, out var f) ? f : Default(c)).ToArray();
    }

    public static async Task<TableWriter> CreateAsync(DbConnection connection, Table table, bool postgres)
    {
        var columns = new List<Column>();
        await using var command = connection.CreateCommand();
        command.CommandText = postgres
            ? $"SELECT attname, format_type(atttypid, NULL), attnotnull FROM pg_attribute WHERE attrelid = '\"{table.Name}\"'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            : $"SELECT name, type, \"notnull\" FROM pragma_table_info('{table.Name}')";
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(new Column(reader.GetString(0), reader.GetString(1), Convert.ToBoolean(reader.GetValue(2), CultureInfo.InvariantCulture)));
            }
        }

        var missing = table.Values.Keys.Except(columns.Select(c => c.Name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"{table.Name} has no column {string.Join(", ", missing)}");
        }

        return new TableWriter(table, [.. columns], postgres);
    }

    private static Func<int, object?> Default(Column column) => !column.NotNull ? _ => null
        : column.Type.Contains("int", StringComparison.OrdinalIgnoreCase) ? _ => 0
        : column.Type.Equals("boolean", StringComparison.OrdinalIgnoreCase) ? _ => false
        : _ => "";

    public async Task WriteAsync(DbTransaction transaction, int start, int count)
    {
        if (_postgres)
        {
            await CopyAsync((NpgsqlConnection)transaction.Connection!, start, count);
            return;
        }

        _full ??= Prepare(transaction, RowsPerStatement);
        _full.Transaction = transaction;
        var i = start;
        for (; i + RowsPerStatement <= start + count; i += RowsPerStatement)
        {
            Bind(_full, i, RowsPerStatement);
            _full.ExecuteNonQuery();
        }

        if (i < start + count)
        {
            using var rest = Prepare(transaction, start + count - i);
            Bind(rest, i, start + count - i);
            rest.ExecuteNonQuery();
        }
    }

    private async Task CopyAsync(NpgsqlConnection connection, int start, int count)
    {
        var names = string.Join(", ", _columns.Select(c => $"\"{c.Name}\""));
        await using var importer = await connection.BeginBinaryImportAsync($"COPY \"{_table.Name}\" ({names}) FROM STDIN (FORMAT BINARY)");
        for (var i = start; i < start + count; i++)
        {
            await importer.StartRowAsync();
            for (var c = 0; c < _columns.Length; c++)
            {
                if (_values[c](i) is { } value)
                {
                    await importer.WriteAsync(value, _columns[c].Type);
                }
                else
                {
                    await importer.WriteNullAsync();
                }
            }
        }

        await importer.CompleteAsync();
    }

    private DbCommand Prepare(DbTransaction transaction, int rowCount)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        var names = string.Join(", ", _columns.Select(c => $"\"{c.Name}\""));
        var rows = Enumerable.Range(0, rowCount).Select(r => "(" + string.Join(", ", _columns.Select((_, c) => $"@p{r * _columns.Length + c}")) + ")");
        command.CommandText = $"INSERT INTO \"{_table.Name}\" ({names}) VALUES {string.Join(", ", rows)}";
        for (var p = 0; p < rowCount * _columns.Length; p++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{p}";
            command.Parameters.Add(parameter);
        }

        command.Prepare();
        return command;
    }

    /// <summary>SQLite values as EF stores them: GUIDs as upper-case text, times as ISO text, booleans as 0/1, lists as JSON.</summary>
    private void Bind(DbCommand command, int first, int rowCount)
    {
        var p = 0;
        for (var i = first; i < first + rowCount; i++)
        {
            for (var c = 0; c < _columns.Length; c++)
            {
                command.Parameters[p++].Value = _values[c](i) switch
                {
                    null => DBNull.Value,
                    Guid g => g.ToString().ToUpperInvariant(),
                    DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
                    bool b => b ? 1 : 0,
                    string[] list => System.Text.Json.JsonSerializer.Serialize(list),
                    var v => v,
                };
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_full is not null)
        {
            await _full.DisposeAsync();
        }
    }
}
