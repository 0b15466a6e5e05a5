using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using PenguinMails.Contacts;
using PenguinMails.Data;
using PenguinMails.Tenancy;

namespace PenguinMails.Suppressions;

/// <summary>
/// The current tenant's suppression list (the ambient <see cref="TenantContext"/>). Adding is insert-if-absent
/// in one statement (<c>ON CONFLICT DO NOTHING</c>, on SQLite and PostgreSQL alike): concurrent adds of one
/// address leave one row, keep the first reason, and raise no error. A new entry gives the contact with that
/// address the matching status (<see cref="ContactStatusSync"/>).
/// </summary>
public sealed class SuppressionList(AppDb db, TenantContext tenant, TimeProvider time, ContactStatusSync contacts)
{
    private const int LookupChunk = 500;

    public Task<bool> IsSuppressedAsync(string email, CancellationToken ct)
    {
        var normalized = SuppressionAddress.Normalize(email);
        return db.Suppressions.AnyAsync(s => s.Email == normalized, ct);
    }

    /// <summary>The suppressed ones among <paramref name="emails"/>, lower-cased; the set ignores case, so Contains(original) works.</summary>
    public async Task<IReadOnlySet<string>> SuppressedAmongAsync(IEnumerable<string> emails, CancellationToken ct)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var chunk in emails.Select(SuppressionAddress.Normalize).Distinct(StringComparer.Ordinal).Chunk(LookupChunk))
        {
            var batch = chunk.ToList();
            found.UnionWith(await db.Suppressions.AsNoTracking().Where(s => batch.Contains(s.Email)).Select(s => s.Email).ToListAsync(ct));
        }

        return found;
    }

    /// <summary>Suppresses an address (source <c>system</c>); one already suppressed keeps its first reason.</summary>
    public Task AddAsync(string email, SuppressionReason reason, CancellationToken ct) =>
        AddOrKeepAsync(email, reason, "system", null, ct);

    /// <summary>Inserts if absent; returns the row that is now on the list and whether this call added it.</summary>
    public async Task<(Suppression Row, bool Added)> AddOrKeepAsync(
        string email, SuppressionReason reason, string? source, string? note, CancellationToken ct)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("A suppression was added outside a tenant scope.");
        var row = new Suppression
        {
            TenantId = tenantId, Email = SuppressionAddress.Normalize(email), Reason = reason, Source = source, Note = note,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var added = await InsertIfAbsentAsync(row, ct) == 1;
        if (added)
        {
            await contacts.OnSuppressedAsync(row.Email, reason, ct);
        }

        var current = added ? row : await db.Suppressions.AsNoTracking().FirstAsync(s => s.Email == row.Email, ct);
        return (current, added);
    }

    public async Task<bool> RemoveAsync(string email, CancellationToken ct)
    {
        var normalized = SuppressionAddress.Normalize(email);
        return await db.Suppressions.Where(s => s.Email == normalized).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Parameters come from the model's own type mappings, so each provider stores values as EF Core would.</summary>
    private Task<int> InsertIfAbsentAsync(Suppression row, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(Suppression))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var values = new (string Property, object? Value)[]
        {
            (nameof(Suppression.Id), row.Id), (nameof(Suppression.TenantId), row.TenantId), (nameof(Suppression.Email), row.Email),
            (nameof(Suppression.Reason), row.Reason), (nameof(Suppression.Source), row.Source), (nameof(Suppression.Note), row.Note),
            (nameof(Suppression.CreatedAt), row.CreatedAt),
        };
        using var command = db.Database.GetDbConnection().CreateCommand();
        var parameters = new List<DbParameter>();
        var columns = new List<string>();
        foreach (var (name, value) in values)
        {
            var property = entity.FindProperty(name)!;
            columns.Add(sql.DelimitIdentifier(property.GetColumnName()));
            parameters.Add(property.GetRelationalTypeMapping().CreateParameter(command, $"p{parameters.Count}", value, nullable: true));
        }

        var conflict = string.Join(", ", new[] { nameof(Suppression.TenantId), nameof(Suppression.Email) }
            .Select(p => sql.DelimitIdentifier(entity.FindProperty(p)!.GetColumnName())));
        var statement = $"INSERT INTO {sql.DelimitIdentifier(entity.GetTableName()!)} ({string.Join(", ", columns)}) " +
            $"VALUES ({string.Join(", ", parameters.Select(p => "@" + p.ParameterName))}) ON CONFLICT ({conflict}) DO NOTHING";
        return db.Database.ExecuteSqlRawAsync(statement, parameters, ct);
    }
}
