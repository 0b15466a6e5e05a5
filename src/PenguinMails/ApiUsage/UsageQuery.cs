using System.ComponentModel;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using PenguinMails.Http;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The query parameters of the usage API and its CSV exports: <c>range</c> (1h, 24h, 7d, 30d; default 24h) or
/// <c>from</c>/<c>to</c> (RFC 3339 with a zone, rounded out to the step, at most <c>ApiUsage:RollupRetentionDays</c>
/// apart), and the filters <c>key_id</c> (the key's id or its pm_live_/pm_test_ identifier), <c>environment</c>
/// (live, test), <c>endpoint</c> (as recorded: <c>POST /api/v1/emails/send</c>) and <c>status</c> (a code such as
/// 429, or a class: 2xx, 3xx, 4xx, 5xx). Invalid values answer VALIDATION_ERROR with one detail per field.
/// </summary>
public sealed record UsageQuery(
    [property: OneOf(typeof(UsageQuery), nameof(UsageQuery.Ranges))] string? Range,
    string? From,
    string? To,
    [property: FromQuery(Name = "key_id")] string? KeyId,
    [property: OneOf(typeof(Emails.EmailLog), nameof(Emails.EmailLog.Environments))] string? Environment,
    string? Endpoint,
    [property: Description("A status code (429) or a class: 2xx, 3xx, 4xx or 5xx.")] string? Status)
{
    public static readonly string[] Ranges = ["1h", "24h", "7d", "30d"];

    public ApiError? Validate(DateTime now, int maxDays, out UsageWindow window, out UsageFilter filter)
    {
        var details = new List<ErrorDetail>();
        window = default!;
        filter = default!;
        var from = Timestamps.FromQuery("from", From, details);
        var to = Timestamps.FromQuery("to", To, details);
        QueryChoices.Check(Range, "range", Ranges, details);

        if (Range is not null && (From is not null || To is not null))
        {
            details.Add(new ErrorDetail("range", "Give either range or from and to, not both."));
        }
        else if ((From is null) != (To is null))
        {
            details.Add(new ErrorDetail(From is null ? "from" : "to", "from and to go together: give both, or neither and a range."));
        }
        else if (from is { } f && to is { } t)
        {
            if (f.Year < 2000 || t.Year > 9000)
            {
                details.Add(new ErrorDetail(f.Year < 2000 ? "from" : "to", "from and to must lie between the years 2000 and 9000."));
            }
            else if (f >= t)
            {
                details.Add(new ErrorDetail("to", "to must be after from."));
            }
            else if (t - f > TimeSpan.FromDays(maxDays))
            {
                details.Add(new ErrorDetail("to", $"from and to may be at most {maxDays} days apart (the roll-ups' retention)."));
            }
        }

        QueryChoices.Check(Environment, "environment", Emails.EmailLog.Environments, details);

        if (Endpoint is not null && EndpointProblem(Endpoint) is { } problem)
        {
            details.Add(new ErrorDetail("endpoint", problem));
        }

        var (minStatus, maxStatus) = ParseStatus(Status);
        if (Status is not null && minStatus is null)
        {
            details.Add(new ErrorDetail("status", "status must be an HTTP status code from 100 to 599, or a class: 2xx, 3xx, 4xx or 5xx."));
        }

        if (details.Count > 0)
        {
            return new ApiError(ErrorCodes.ValidationError, null, details);
        }

        window = from is { } start && to is { } end ? UsageWindow.Custom(start, end) : UsageWindow.Relative(Range ?? "24h", now);
        filter = new UsageFilter(null, Environment, Endpoint, minStatus, maxStatus);
        return null;
    }

    /// <summary>
    /// Why <paramref name="endpoint"/> can match no recorded request, or null: it must be a method in capitals, a space and a
    /// route (<c>GET /api/v1/contacts/{id}</c>) or <c>(unmatched)</c>, as the request log writes them; <c>get /api/v1/contacts</c>
    /// would filter to nothing, so it is refused naming the spelling meant.
    /// </summary>
    private static string? EndpointProblem(string endpoint)
    {
        const string Form = "endpoint must be a method and a route template as recorded, such as POST /api/v1/emails/send or GET (unmatched)";
        var space = endpoint.IndexOf(' ', StringComparison.Ordinal);
        var route = space > 0 ? endpoint[(space + 1)..] : "";
        if (endpoint.Length > ApiRequestConfiguration.MaxEndpoint || space <= 0 || !(route.StartsWith('/') || route == RequestLogging.Unmatched))
        {
            return Form + ".";
        }

        var method = endpoint[..space];
        return method == method.ToUpperInvariant() ? null : $"{Form}: did you mean {method.ToUpperInvariant()}{endpoint[space..]}?";
    }

    /// <summary>The cache key: the tenant and every parameter as given (a relative range moves with the clock, which the minute of caching allows).</summary>
    public string CacheKey(Guid tenantId) => string.Join('\u001f', "api-usage", tenantId, Range, From, To, KeyId, Environment, Endpoint, Status);

    private static (int? Min, int? Max) ParseStatus(string? status)
    {
        if (status is null)
        {
            return (null, null);
        }

        if (status.Length == 3 && status.EndsWith("xx", StringComparison.Ordinal) && status[0] is >= '2' and <= '5')
        {
            var start = (status[0] - '0') * 100;
            return (start, start + 99);
        }

        return int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 100 and <= 599
            ? (code, code)
            : (null, null);
    }
}

/// <summary>The filters of a usage query once resolved: <see cref="KeyRowId"/> is the key's row id in this tenant.</summary>
public sealed record UsageFilter(Guid? KeyRowId, string? Environment, string? Endpoint, int? MinStatus, int? MaxStatus);

/// <summary>A half-open window [From, To) cut into steps of <see cref="Step"/> (minute, hour, day).</summary>
public sealed record UsageWindow(DateTime From, DateTime To, string Step)
{
    public TimeSpan StepLength => Step switch
    {
        "minute" => TimeSpan.FromMinutes(1),
        "hour" => TimeSpan.FromHours(1),
        _ => TimeSpan.FromDays(1),
    };

    /// <summary>The roll-ups of the step's own length: both ends are rounded to the step, so they cover the window exactly.</summary>
    public int Grain => Step switch
    {
        "minute" => ApiUsageRollup.MinuteGrain,
        "hour" => ApiUsageRollup.HourGrain,
        _ => ApiUsageRollup.DayGrain,
    };

    /// <summary>1h by minute, 24h and 7d by hour, 30d by day; each ends with the step now is in.</summary>
    public static UsageWindow Relative(string range, DateTime now)
    {
        var (span, step) = range switch
        {
            "1h" => (TimeSpan.FromHours(1), "minute"),
            "7d" => (TimeSpan.FromDays(7), "hour"),
            "30d" => (TimeSpan.FromDays(30), "day"),
            _ => (TimeSpan.FromHours(24), "hour"),
        };
        var to = Floor(now, step) + new UsageWindow(now, now, step).StepLength; // the step now is in, even at its first instant
        return new UsageWindow(to - span, to, step);
    }

    /// <summary>Up to 6 hours by minute, up to 8 days by hour, longer by day; both ends rounded out to the step.</summary>
    public static UsageWindow Custom(DateTime from, DateTime to)
    {
        var span = to - from;
        var step = span <= TimeSpan.FromHours(6) ? "minute" : span <= TimeSpan.FromDays(8) ? "hour" : "day";
        return new UsageWindow(Floor(from, step), Ceiling(to, step), step);
    }

    public DateTime StepOf(DateTime at) => Floor(at, Step);

    public IEnumerable<DateTime> Steps()
    {
        for (var t = From; t < To; t += StepLength)
        {
            yield return t;
        }
    }

    private static DateTime Floor(DateTime at, string step) => step switch
    {
        "minute" => new DateTime(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, DateTimeKind.Utc),
        "hour" => new DateTime(at.Year, at.Month, at.Day, at.Hour, 0, 0, DateTimeKind.Utc),
        _ => new DateTime(at.Year, at.Month, at.Day, 0, 0, 0, DateTimeKind.Utc),
    };

    private static DateTime Ceiling(DateTime at, string step)
    {
        var floor = Floor(at, step);
        return floor == at ? at : floor + new UsageWindow(floor, floor, step).StepLength;
    }
}
