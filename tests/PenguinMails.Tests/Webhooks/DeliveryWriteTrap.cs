using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Webhooks;

/// <summary>
/// Catches the server's next write of an attempt's outcome through EF — an UPDATE of <c>webhook_deliveries</c> that sets
/// <c>attempts</c>; the claims' lease UPDATE sets none, and the writer's multi-row statement for plain successes is a command
/// of its own that EF never sees — to hold it until the test lets it go, or to delete its delivery first, on the same
/// connection and in the same transaction: the delivery is gone by the time its outcome is written, whatever the server
/// read before, as after an erasure committed at that moment. One catch per arming; armed by nothing, it does nothing.
/// </summary>
public sealed partial class DeliveryWriteTrap : DbCommandInterceptor
{
    private static readonly Action<IServiceCollection> Register = services =>
    {
        services.AddSingleton<DeliveryWriteTrap>();
        services.ConfigureDbContext<SqliteAppDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<DeliveryWriteTrap>()));
        services.ConfigureDbContext<PostgresAppDb>((sp, o) => o.AddInterceptors(sp.GetRequiredService<DeliveryWriteTrap>()));
    };

    private sealed record Armed(IReadOnlyCollection<Guid>? Among, Func<DbCommand, Guid, CancellationToken, Task> Act);

    private Armed? _armed;

    /// <summary>Puts a trap in <paramref name="app"/>'s database contexts (before its first request); the test finds it in its services.</summary>
    public static void Install(PenguinMailsFactory app)
    {
        if (!app.MoreServices.Contains(Register))
        {
            app.MoreServices.Add(Register);
        }
    }

    /// <summary>Holds the next outcome write until <paramref name="release"/> completes; the task ends once one is held.</summary>
    public Task HoldNextAsync(Task release)
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Arm(new Armed(null, async (_, _, _) =>
        {
            held.TrySetResult();
            await release;
        }));
        return held.Task;
    }

    /// <summary>Deletes the delivery of the next outcome write of one of <paramref name="among"/> just before it runs; returns its id.</summary>
    public Task<Guid> DeleteNextAsync(IReadOnlyCollection<Guid> among)
    {
        var deleted = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        Arm(new Armed(among, async (command, id, ct) =>
        {
            await using var delete = command.Connection!.CreateCommand();
            delete.Transaction = command.Transaction;
            delete.CommandText = "DELETE FROM webhook_deliveries WHERE id = @id";
            var parameter = delete.CreateParameter();
            // EF stores a Guid on SQLite as upper-case text, on PostgreSQL as a uuid.
            (parameter.ParameterName, parameter.Value) = ("@id", command.Connection is Npgsql.NpgsqlConnection ? id : id.ToString().ToUpperInvariant());
            delete.Parameters.Add(parameter);
            var rows = await delete.ExecuteNonQueryAsync(ct);
            if (rows == 1)
            {
                deleted.TrySetResult(id);
            }
            else
            {
                deleted.TrySetException(new InvalidOperationException($"Deleting delivery {id} deleted {rows} rows."));
            }
        }));
        return deleted.Task;
    }

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await CatchAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        await CatchAsync(command, cancellationToken);
        return result;
    }

    private void Arm(Armed armed)
    {
        if (Interlocked.CompareExchange(ref _armed, armed, null) is not null)
        {
            throw new InvalidOperationException("The trap is already armed.");
        }
    }

    private async Task CatchAsync(DbCommand command, CancellationToken ct)
    {
        if (Volatile.Read(ref _armed) is not { } armed || !OutcomeWrite().IsMatch(command.CommandText)
            || DeliveryOf(command, armed.Among) is not { } id || Interlocked.CompareExchange(ref _armed, null, armed) != armed)
        {
            return;
        }

        await armed.Act(command, id, ct);
    }

    /// <summary>The delivery the command writes among <paramref name="among"/> (any when null, reported as <see cref="Guid.Empty"/>).</summary>
    private static Guid? DeliveryOf(DbCommand command, IReadOnlyCollection<Guid>? among)
    {
        if (among is null)
        {
            return Guid.Empty;
        }

        foreach (DbParameter parameter in command.Parameters)
        {
            var value = parameter.Value switch
            {
                Guid g => g,
                string s when Guid.TryParse(s, out var g) => g,
                _ => (Guid?)null,
            };
            if (value is { } id && among.Contains(id))
            {
                return id;
            }
        }

        return null;
    }

    [GeneratedRegex(@"UPDATE\s+""?webhook_deliveries""?\s[^;]*[\s"".]attempts""?\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex OutcomeWrite();
}
