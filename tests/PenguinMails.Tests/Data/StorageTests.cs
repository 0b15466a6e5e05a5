using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PenguinMails.ApiUsage;
using PenguinMails.Contacts;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Emails.Attachments;
using PenguinMails.Tenancy;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Data;

public abstract class StorageTests(PenguinMailsFactory app)
{
    [Fact]
    public async Task Migrations_CoverTheWholeModel()
    {
        app.Client();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration captures");
    }

    [Fact]
    public async Task Database_HoldsNoKeySecret()
    {
        var (_, admin, _) = await app.CreateTenantWithAdminKeyAsync();
        var created = await (await app.Client(admin).PostJsonAsync("/api/v1/platform/api-keys",
            new { name = "secret keeper", permissions = new[] { "emails:send" } })).DataAsync(201);
        var key = created["key"]!.GetValue<string>();
        var secretPart = key[22..^6];

        var stored = await EverythingStoredAsync();

        Assert.Contains(key[..22], stored); // the identifier is there, so the search does find stored text
        Assert.DoesNotContain(secretPart, stored);
        Assert.DoesNotContain(key, stored);
    }

    [Fact]
    public async Task TenantFilter_HidesOtherTenantsRows_AndRefusesToSaveThem()
    {
        var (tenantA, _, _) = await app.CreateTenantWithAdminKeyAsync();
        var (tenantB, _, keyB) = await app.CreateTenantWithAdminKeyAsync();

        await app.InTenantAsync(tenantA, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            Assert.Null(await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == keyB));
            Assert.Equal(0, await db.ApiKeys.Where(k => k.Id == keyB).ExecuteDeleteAsync());
            var foreign = await db.ApiKeys.IgnoreQueryFilters().SingleAsync(k => k.Id == keyB);
            foreign.Name = "hijacked";
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            return true;
        });
        await app.InTenantAsync(tenantB, async sp =>
        {
            Assert.Equal("test key", (await sp.GetRequiredService<AppDb>().ApiKeys.SingleAsync(k => k.Id == keyB)).Name);
            return true;
        });
    }

    [Fact]
    public async Task NoTenantScope_SeesNoTenantRows()
    {
        await app.CreateTenantWithAdminKeyAsync();
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<AppDb>().ApiKeys.CountAsync());
        Assert.Null(scope.ServiceProvider.GetRequiredService<TenantContext>().TenantId);
    }

    private async Task<string> EverythingStoredAsync()
    {
        if (app.Provider == "sqlite")
        {
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<AppDb>().Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(FULL);");
            }

            var text = new StringBuilder();
            foreach (var file in Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories))
            {
                text.Append(Encoding.Latin1.GetString(await ReadSharedAsync(file)));
            }

            return text.ToString();
        }

        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        var all = new StringBuilder();
        foreach (var table in tables)
        {
            await using var dump = new NpgsqlCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t", connection);
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                all.AppendLine(reader.GetString(0));
            }
        }

        return all.ToString();
    }

    /// <summary>
    /// BulkInsert (positional binding on SQLite, COPY on PostgreSQL) stores every column exactly as EF's own SaveChanges
    /// does — same storage class, same text for GUIDs and times, same converters — for every entity it writes: the same
    /// rows are saved by EF, read raw, deleted, written by BulkInsert and read raw again. One row has every property
    /// set, its twin every nullable property null.
    /// </summary>
    [Fact]
    public async Task BulkInsert_StoresEveryColumnAsEfSaveChangesDoes()
    {
        var tenant = await app.CreateTenantAsync();
        await app.InTenantAsync(tenant, async sp =>
        {
            var db = sp.GetRequiredService<AppDb>();
            var messages = new[] { Filled(new EmailMessage { From = "f@example.com", Subject = "s" }, db, full: true), Filled(new EmailMessage { From = "f@example.com", Subject = "s" }, db, full: false) };
            var recipients = messages.SelectMany(m => new[] { Filled(new EmailRecipient { MessageId = m.Id, Address = "a@example.com", Email = "a@example.com" }, db, true),
                Filled(new EmailRecipient { MessageId = m.Id, Address = "b@example.com", Email = "b@example.com" }, db, false) }).ToList();
            var attachments = messages.Select((m, i) => Filled(new EmailAttachment { MessageId = m.Id, Index = i, Filename = "a.pdf", ContentType = "application/pdf", Content = [1, 2, 3] }, db, i == 0)).ToList();
            var events = messages.Select((m, i) => Filled(new EmailEvent { MessageId = m.Id }, db, i == 0)).ToList();
            var contacts = new[] { Filled(new Contact { Email = "c@example.com", NormalizedEmail = "c@example.com" }, db, true),
                Filled(new Contact { Email = "d@example.com", NormalizedEmail = "d@example.com" }, db, false) };
            var attributes = contacts.Select(c => new ContactAttributeValue { ContactId = c.Id, Key = "plan", Value = "pro" }).ToList();
            var tags = contacts.Select(c => new ContactTag { ContactId = c.Id, Tag = "vip" }).ToList();
            var requests = new[] { Filled(new ApiRequest { RequestId = "r", Environment = "live", Endpoint = "GET /api/v1/me" }, db, true), Filled(new ApiRequest { RequestId = "r", Environment = "live", Endpoint = "GET /api/v1/me" }, db, false) };
            foreach (var entity in new IEnumerable<object>[] { messages, recipients, attachments, events, contacts, attributes, tags, requests }.SelectMany(e => e))
            {
                if (entity is ITenantOwned owned)
                {
                    owned.TenantId = tenant;
                }
            }

            string[] tables = ["email_messages", "email_recipients", "email_attachments", "email_events", "contacts", "contact_attributes", "contact_tags", "api_requests"];
            db.AddRange(messages);
            db.AddRange(recipients);
            db.AddRange(attachments);
            db.AddRange(events);
            db.AddRange(contacts);
            db.AddRange(attributes);
            db.AddRange(tags);
            db.AddRange(requests);
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            var savedByEf = await RawRowsAsync(db, tables, tenant);
            Assert.All(tables, t => Assert.NotEmpty(savedByEf[t]));

            foreach (var table in tables.Reverse())
            {
#pragma warning disable EF1002 // fixed table names and a GUID, no input
                await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{table}\" WHERE {TenantIs(tenant)}");
#pragma warning restore EF1002
            }

            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await BulkInsert.WriteAsync(db, messages, default);
                await BulkInsert.WriteAsync(db, recipients, default);
                await BulkInsert.WriteAsync(db, attachments, default);
                await BulkInsert.WriteAsync(db, events, default);
                await BulkInsert.WriteAsync(db, contacts, default);
                await BulkInsert.WriteAsync(db, attributes, default);
                await BulkInsert.WriteAsync(db, tags, default);
                await BulkInsert.WriteAsync(db, requests, default);
                await transaction.CommitAsync();
            }

            var written = await RawRowsAsync(db, tables, tenant);
            Assert.All(tables, t => Assert.Equal(savedByEf[t], written[t]));
            return true;
        });
    }

    private static string TenantIs(Guid tenant) => $"lower(CAST(tenant_id AS TEXT)) = '{tenant:D}'";

    /// <summary>Each table's rows of the tenant as "type:value" cells, in a stable order.</summary>
    private static async Task<Dictionary<string, List<string>>> RawRowsAsync(AppDb db, string[] tables, Guid tenant)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var rows = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\" WHERE {TenantIs(tenant)}";
            await using var reader = await command.ExecuteReaderAsync();
            var list = new List<string>();
            while (await reader.ReadAsync())
            {
                list.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetName(i) + "=" + Cell(reader.GetValue(i)))));
            }

            rows[table] = [.. list.Order(StringComparer.Ordinal)];
        }

        await db.Database.CloseConnectionAsync();
        return rows;
    }

    private static string Cell(object value) => value switch
    {
        DBNull => "null",
        byte[] bytes => "bytes:" + Convert.ToHexString(bytes),
        DateTime time => $"DateTime:{time:O}",
        _ => $"{value.GetType().Name}:{Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)}",
    };

    /// <summary>
    /// Sets every mapped scalar property that is not part of a key or a foreign key, and not set already, to a sample value of its type (or, when
    /// <paramref name="full"/> is false, every nullable one to null). Times carry sub-millisecond ticks PostgreSQL keeps.
    /// </summary>
    private static T Filled<T>(T entity, AppDb db, bool full) where T : class
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        foreach (var property in type.GetProperties().Where(p => !p.IsKey() && !p.IsForeignKey() && p.PropertyInfo is { CanWrite: true }))
        {
            var info = property.PropertyInfo!;
            var clr = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
            var nullable = Nullable.GetUnderlyingType(info.PropertyType) is not null || property.IsNullable;
            if (!full && nullable)
            {
                info.SetValue(entity, null);
                continue;
            }

            var current = info.GetValue(entity);
            if (current is not null && (current is string || !clr.IsValueType || !current.Equals(Activator.CreateInstance(clr))))
            {
                continue; // set by the caller (a unique or required value)
            }

            var maxLength = property.GetMaxLength() ?? 64;
            object? sample = clr switch
            {
                _ when clr == typeof(string) => ("Ünïcode " + property.Name + " ✓")[..Math.Min(maxLength, ("Ünïcode " + property.Name + " ✓").Length)],
                _ when clr == typeof(Guid) => Guid.NewGuid(),
                _ when clr == typeof(DateTime) => new DateTime(2026, 11, 30, 12, 34, 56, DateTimeKind.Utc).AddTicks(1_234_560),
                _ when clr == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 30, 12, 34, 56, TimeSpan.Zero).AddTicks(1_234_560),
                _ when clr == typeof(bool) => true,
                _ when clr == typeof(int) => 7,
                _ when clr == typeof(long) => 7_000_000_000L,
                _ when clr == typeof(double) => 1.25,
                _ when clr.IsEnum => Enum.GetValues(clr).Cast<object>().Last(),
                _ when clr == typeof(byte[]) => new byte[] { 1, 2, 3 },
                _ when clr == typeof(List<string>) => new List<string> { "one", "two" },
                _ => null,
            };
            if (sample is not null)
            {
                info.SetValue(entity, sample);
            }
        }

        return entity;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}

public sealed class StorageSqliteTests(SqliteFactory app) : StorageTests(app), IClassFixture<SqliteFactory>;

public sealed class StoragePostgresTests(PostgresFactory app) : StorageTests(app), IClassFixture<PostgresFactory>;
