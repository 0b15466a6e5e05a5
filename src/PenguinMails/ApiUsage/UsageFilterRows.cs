namespace PenguinMails.ApiUsage;

/// <summary>What the usage filters (<see cref="UsageFilter"/>) look at, shared by raw requests and their roll-ups.</summary>
public interface IUsageRow
{
    Guid ApiKeyId { get; }

    /// <summary><c>live</c> or <c>test</c>.</summary>
    string Environment { get; }

    /// <summary><c>METHOD /api/v1/...</c> route template.</summary>
    string Endpoint { get; }

    int Status { get; }
}

/// <summary>The one place the usage API's, the request log's and the CSV exports' filters become SQL.</summary>
internal static class UsageFilterRows
{
    /// <summary>Rows matching every filter that is set: key, environment, endpoint, status (code or class as a range).</summary>
    public static IQueryable<T> Matching<T>(this IQueryable<T> rows, UsageFilter filter) where T : class, IUsageRow
    {
        if (filter.KeyRowId is { } key)
        {
            rows = rows.Where(r => r.ApiKeyId == key);
        }

        if (filter.Environment is { } environment)
        {
            rows = rows.Where(r => r.Environment == environment);
        }

        if (filter.Endpoint is { } endpoint)
        {
            rows = rows.Where(r => r.Endpoint == endpoint);
        }

        if (filter.MinStatus is { } min && filter.MaxStatus is { } max)
        {
            rows = rows.Where(r => r.Status >= min && r.Status <= max);
        }

        return rows;
    }
}
