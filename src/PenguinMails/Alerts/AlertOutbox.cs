using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Installation;

namespace PenguinMails.Alerts;

/// <summary>An alert's message, the same to each recipient.</summary>
public sealed record AlertMail(string Subject, string Text, string Html);

/// <summary>
/// Sends each alert exactly once per occurrence: in one transaction, the occurrence row is inserted unless its
/// (tenant, kind, subject, period) is already there (<c>INSERT ... ON CONFLICT DO NOTHING</c>, on both providers), and
/// only if it was inserted are the mails queued as installation mail (docs/decisions/0009). Two nodes at the same
/// moment: PostgreSQL makes the second insert wait for the first transaction and then skip; SQLite has one writer.
/// </summary>
public sealed class AlertOutbox(AppDb db, InstallationMail mail, WriteGate gate, DispatchSignal signal, TimeProvider time)
{
    /// <summary>Records <paramref name="occurrence"/> and queues <paramref name="message"/> to each of <paramref name="to"/>;
    /// false (and nothing queued) when that occurrence was already recorded. <paramref name="alongside"/> stages more rows
    /// (a webhook event) to be written in the same transaction.</summary>
    public async Task<bool> SendOnceAsync(AlertOccurrence occurrence, IReadOnlyCollection<string> to, AlertMail message, CancellationToken ct,
        Func<AppDb, CancellationToken, Task>? alongside = null)
    {
        occurrence.Recipients = to.Count;
        using (await gate.EnterAsync(db, ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await InsertIfAbsentAsync(occurrence, ct) == 0)
            {
                return false;
            }

            try
            {
                foreach (var address in to)
                {
                    mail.Stage(InstallationMailPurposes.Alert(occurrence.Kind), address, message.Subject, message.Text, message.Html);
                }

                if (alongside is not null)
                {
                    await alongside(db, ct);
                }

                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }

        signal.Notify();
        return true;
    }

    /// <summary>Whether an alert of <paramref name="kind"/> about <paramref name="subject"/> was sent for <paramref name="period"/>.</summary>
    public Task<bool> WasSentAsync(string kind, string subject, DateTime period, CancellationToken ct) =>
        db.AlertOccurrences.AnyAsync(a => a.Kind == kind && a.Subject == subject && a.Period == period, ct);

    /// <summary>The latest alert of <paramref name="kind"/> about <paramref name="subject"/>, if any.</summary>
    public Task<AlertOccurrence?> LatestAsync(string kind, string subject, CancellationToken ct) =>
        db.AlertOccurrences.AsNoTracking().Where(a => a.Kind == kind && a.Subject == subject)
            .OrderByDescending(a => a.Period).FirstOrDefaultAsync(ct);

    public AlertOccurrence Occurrence(string kind, string subject, DateTime period, DateTime coveredUntil) => new()
    {
        TenantId = db.CurrentTenantId ?? throw new InvalidOperationException("Alerts are recorded inside a tenant scope."),
        Kind = kind, Subject = subject, Period = period, CoveredUntil = coveredUntil, CreatedAt = time.GetUtcNow().UtcDateTime,
    };

    /// <summary>Parameters come from the model's own type mappings, so each provider stores values as EF Core would.</summary>
    private Task<int> InsertIfAbsentAsync(AlertOccurrence row, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(AlertOccurrence))!;
        var sql = db.GetService<ISqlGenerationHelper>();
        var values = new (string Property, object? Value)[]
        {
            (nameof(AlertOccurrence.Id), row.Id), (nameof(AlertOccurrence.TenantId), row.TenantId), (nameof(AlertOccurrence.Kind), row.Kind),
            (nameof(AlertOccurrence.Subject), row.Subject), (nameof(AlertOccurrence.Period), row.Period),
            (nameof(AlertOccurrence.CoveredUntil), row.CoveredUntil), (nameof(AlertOccurrence.Recipients), row.Recipients),
            (nameof(AlertOccurrence.CreatedAt), row.CreatedAt),
        };
        using var command = db.Database.GetDbConnection().CreateCommand();
        var parameters = new List<DbParameter>();
        var columns = new List<string>();
        foreach (var (name, value) in values)
        {
            var property = entity.FindProperty(name)!;
            columns.Add(sql.DelimitIdentifier(property.GetColumnName()));
            parameters.Add(property.GetRelationalTypeMapping().CreateParameter(command, $"p{parameters.Count}", value, nullable: false));
        }

        var conflict = string.Join(", ", new[] { nameof(AlertOccurrence.TenantId), nameof(AlertOccurrence.Kind), nameof(AlertOccurrence.Subject), nameof(AlertOccurrence.Period) }
            .Select(p => sql.DelimitIdentifier(entity.FindProperty(p)!.GetColumnName())));
        var statement = $"INSERT INTO {sql.DelimitIdentifier(entity.GetTableName()!)} ({string.Join(", ", columns)}) " +
            $"VALUES ({string.Join(", ", parameters.Select(p => "@" + p.ParameterName))}) ON CONFLICT ({conflict}) DO NOTHING";
        return db.Database.ExecuteSqlRawAsync(statement, parameters, ct);
    }
}
