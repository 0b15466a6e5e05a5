using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using SQLitePCL;

namespace PenguinMails.Data;

/// <summary>
/// <see cref="BulkInsert"/> on SQLite: one prepared single-row <c>INSERT</c> per call, each row's values bound by position
/// straight through SQLite's C API (SQLitePCLRaw, the library under Microsoft.Data.Sqlite) by one compiled delegate per
/// entity type — no boxing, no parameter objects, no by-name lookup. Values are stored as EF Core's SQLite provider
/// stores them (its type mappings, after the model's value converters): text as text, GUIDs as upper-case text, times as
/// <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, <see cref="DateTimeOffset"/> with its offset, booleans and integers as integers,
/// floating point as real, byte arrays as blobs. An entity with any other kind of column (decimal, a shadow property)
/// gets no writer (<see cref="For"/> answers null) and BulkInsert binds it through Microsoft.Data.Sqlite instead.
/// Measured in bench/README.md (issue 16, "Set-based writes bound by position").
/// </summary>
internal sealed class SqliteRowWriter
{
    private const string TimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";
    private const string OffsetTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz";

    private readonly Action<object, Binder> _bind;
    private readonly string _sql;

    private SqliteRowWriter(Action<object, Binder> bind, string sql) => (_bind, _sql) = (bind, sql);

    /// <summary>A writer for <paramref name="entity"/>'s <paramref name="columns"/> (quoted names), or null when one cannot be bound by position.</summary>
    public static SqliteRowWriter? For(IEntityType entity, string table, IReadOnlyList<(string Name, IProperty Property, RelationalTypeMapping Mapping)> columns)
    {
        var row = Expression.Parameter(typeof(object), "row");
        var binder = Expression.Parameter(typeof(Binder), "binder");
        var typed = Expression.Variable(entity.ClrType, "typed");
        var body = new List<Expression> { Expression.Assign(typed, Expression.Convert(row, entity.ClrType)) };
        for (var i = 0; i < columns.Count; i++)
        {
            if (BindColumn(typed, binder, i + 1, columns[i].Property, columns[i].Mapping) is not { } bind)
            {
                return null;
            }

            body.Add(bind);
        }

        var lambda = Expression.Lambda<Action<object, Binder>>(Expression.Block([typed], body), row, binder);
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select((_, i) => $"?{i + 1}"))})";
        return new SqliteRowWriter(lambda.Compile(), sql);
    }

    /// <summary>Inserts <paramref name="rows"/> on <paramref name="connection"/>, inside the transaction open on it.</summary>
    /// <exception cref="SqliteException">SQLite refused a row (a constraint) or the statement.</exception>
    public void Write<T>(SqliteConnection connection, IEnumerable<T> rows) where T : class
    {
        var handle = connection.Handle!;
        Check(handle, raw.sqlite3_prepare_v2(handle, _sql, out var statement));
        using (statement)
        {
            var binder = new Binder(handle, statement);
            foreach (var row in rows)
            {
                _bind(row, binder);
                var done = raw.sqlite3_step(statement);
                raw.sqlite3_reset(statement);
                if (done != raw.SQLITE_DONE)
                {
                    Check(handle, done);
                }
            }
        }
    }

    private static Expression? BindColumn(ParameterExpression typed, ParameterExpression binder, int index, IProperty property, RelationalTypeMapping mapping)
    {
        if (property.IsShadowProperty() || property.GetMemberInfo(forMaterialization: false, forSet: false) is not { } member)
        {
            return null;
        }

        Expression value = Expression.MakeMemberAccess(typed, member);
        var nullable = !value.Type.IsValueType || Nullable.GetUnderlyingType(value.Type) is not null;
        Expression present = Nullable.GetUnderlyingType(value.Type) is not null ? Expression.Property(value, "Value") : value;
        if (mapping.Converter is { } converter)
        {
            // EF converts only non-null values; a null stays null.
            var convert = converter.ConvertToProviderExpression;
            present = new Replace(convert.Parameters[0], Expression.Convert(present, convert.Parameters[0].Type)).Visit(convert.Body);
        }

        var providerType = Nullable.GetUnderlyingType(present.Type) ?? present.Type;
        if (Nullable.GetUnderlyingType(present.Type) is not null)
        {
            present = Expression.Property(present, "Value"); // a converter answering a nullable for a value it was given
        }

        var method = BindMethod(providerType);
        if (method is null)
        {
            return null;
        }

        var call = Expression.Call(binder, method, Expression.Constant(index), Expression.Convert(present, method.GetParameters()[1].ParameterType));
        if (!nullable)
        {
            return call;
        }

        var original = Expression.MakeMemberAccess(typed, member);
        Expression isNull = Nullable.GetUnderlyingType(original.Type) is not null
            ? Expression.Not(Expression.Property(original, "HasValue"))
            : Expression.ReferenceEqual(original, Expression.Constant(null));
        return Expression.IfThenElse(isNull, Expression.Call(binder, nameof(Binder.Null), null, Expression.Constant(index)), call);
    }

    private static MethodInfo? BindMethod(Type type)
    {
        var name = type switch
        {
            _ when type == typeof(string) => nameof(Binder.Text),
            _ when type == typeof(Guid) => nameof(Binder.Guid),
            _ when type == typeof(DateTime) => nameof(Binder.Time),
            _ when type == typeof(DateTimeOffset) => nameof(Binder.OffsetTime),
            _ when type == typeof(bool) => nameof(Binder.Boolean),
            _ when type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(byte) => nameof(Binder.Integer),
            _ when type == typeof(double) || type == typeof(float) => nameof(Binder.Real),
            _ when type == typeof(byte[]) => nameof(Binder.Blob),
            _ => null,
        };
        return name is null ? null : typeof(Binder).GetMethod(name);
    }

    private static void Check(sqlite3 handle, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, handle);
        }
    }

    /// <summary>Binds one value at a 1-based position of the statement, in the form EF Core's SQLite provider stores it.</summary>
    public sealed class Binder(sqlite3 handle, sqlite3_stmt statement)
    {
        private readonly char[] _buffer = new char[48];

        public void Null(int index) => Check(handle, raw.sqlite3_bind_null(statement, index));

        // An empty span has no address, which SQLite would take for NULL; the string overload passes "" as "".
        public void Text(int index, string value) =>
            Check(handle, value.Length == 0 ? raw.sqlite3_bind_text(statement, index, "") : raw.sqlite3_bind_text16(statement, index, value.AsSpan()));

        public void Guid(int index, Guid value)
        {
            value.TryFormat(_buffer, out var length);
            for (var i = 0; i < length; i++)
            {
                _buffer[i] = char.ToUpperInvariant(_buffer[i]);
            }

            Check(handle, raw.sqlite3_bind_text16(statement, index, _buffer.AsSpan(0, length)));
        }

        public void Time(int index, DateTime value)
        {
            value.TryFormat(_buffer, out var length, TimeFormat, CultureInfo.InvariantCulture);
            Check(handle, raw.sqlite3_bind_text16(statement, index, _buffer.AsSpan(0, length)));
        }

        public void OffsetTime(int index, DateTimeOffset value)
        {
            value.TryFormat(_buffer, out var length, OffsetTimeFormat, CultureInfo.InvariantCulture);
            Check(handle, raw.sqlite3_bind_text16(statement, index, _buffer.AsSpan(0, length)));
        }

        public void Boolean(int index, bool value) => Check(handle, raw.sqlite3_bind_int(statement, index, value ? 1 : 0));

        public void Integer(int index, long value) => Check(handle, raw.sqlite3_bind_int64(statement, index, value));

        public void Real(int index, double value) => Check(handle, raw.sqlite3_bind_double(statement, index, value));

        // As Microsoft.Data.Sqlite does: an empty array bound as a blob would have no address and be taken for NULL.
        public void Blob(int index, byte[] value) =>
            Check(handle, value.Length == 0 ? raw.sqlite3_bind_zeroblob(statement, index, 0) : raw.sqlite3_bind_blob(statement, index, value));
    }

    private sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
