using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PenguinMails.Data;

/// <summary>
/// Gives every SQLite connection a <c>lower()</c> that lower-cases all of Unicode, as .NET's
/// <see cref="string.ToLowerInvariant"/> and PostgreSQL's <c>lower()</c> under a UTF-8 locale do. SQLite's own changes
/// only A–Z (sqlite.org/lang_corefunc.html#lower), so a search for "über" never found the campaign "Über Sale", and an
/// erasure comparing <c>lower(recipient)</c> with a lower-cased address missed "ÄNN@example.com". EF Core translates
/// <c>string.ToLower()</c> to <c>lower()</c>, so every query that folds case gets this one. No index or stored
/// expression uses <c>lower()</c>, so overriding the built-in changes no stored result.
/// </summary>
public sealed class SqliteUnicodeLower : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            sqlite.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
        }
    }
}
