using Microsoft.Data.Sqlite;
using Npgsql;

namespace PenguinMails.Data;

/// <summary>Failures that mean "someone else wrote first": read again and retry, rather than answer 500.</summary>
public static class DbErrors
{
    private const int SqliteConstraint = 19;

    public static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: 2067 or 1555 }
            or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>A unique violation, or an update/delete that found its row already changed or gone.</summary>
    public static bool IsConflict(DbUpdateException e) =>
        e is DbUpdateConcurrencyException || IsUniqueViolation(e)
        || e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }
        || e.InnerException is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: 787 };
}
