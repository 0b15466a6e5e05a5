using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// Opens a gap between two queries of one request: once the next query that reads <c>table</c> with a parameter equal
/// to <c>id</c> has run, and before the request reads anything more, the test's write runs on a connection of its own
/// and commits. A view that reads its tables at different moments then shows part of that write and not the rest;
/// one read in a snapshot (Data/ReadSnapshot) shows none of it. One catch per arming; armed by nothing, it does nothing.
/// </summary>
public sealed class ReadGapTrap : DbCommandInterceptor
{
    private static readonly Action<IServiceCollection> Register = services =>
    {
        services.AddSingleton<ReadGapTrap>();
        services.ConfigureDbContext<SqliteAppDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ReadGapTrap>()));
        services.ConfigureDbContext<PostgresAppDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<ReadGapTrap>()));
    };

    private sealed record Armed(string Table, Guid Id, Func<Task> Write, TaskCompletionSource Done);

    private Armed? _armed;

    /// <summary>Puts a trap in <paramref name="app"/>'s database contexts (before its first request); the test finds it in its services.</summary>
    public static void Install(PenguinMailsFactory app)
    {
        if (!app.MoreServices.Contains(Register))
        {
            app.MoreServices.Add(Register);
        }
    }

    /// <summary>Runs <paramref name="write"/> right after the next read of <paramref name="table"/> for <paramref name="id"/>; the task ends when it has.</summary>
    public Task ArmAsync(string table, Guid id, Func<Task> write)
    {
        var armed = new Armed(table, id, write, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Interlocked.CompareExchange(ref _armed, armed, null) is not null)
        {
            throw new InvalidOperationException("The trap is already armed.");
        }

        return armed.Done.Task;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData,
        DbDataReader result, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _armed) is { } armed && Reads(command, armed) && Interlocked.CompareExchange(ref _armed, null, armed) == armed)
        {
            try
            {
                await armed.Write();
                armed.Done.TrySetResult();
            }
            catch (Exception e)
            {
                armed.Done.TrySetException(e);
            }
        }

        return result;
    }

    private static bool Reads(DbCommand command, Armed armed) =>
        command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
        && Regex.IsMatch(command.CommandText, $@"\bFROM\s+""?{armed.Table}""?\s")
        && command.Parameters.Cast<DbParameter>().Any(p => p.Value switch
        {
            Guid g => g == armed.Id,
            string s => Guid.TryParse(s, out var g) && g == armed.Id,
            _ => false,
        });
}
