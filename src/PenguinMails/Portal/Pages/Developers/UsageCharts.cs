using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using PenguinMails.ApiUsage;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// The data of the usage page's charts, as the JSON usage.js draws with Chart.js: handed over in a
/// <c>&lt;script type="application/json"&gt;</c> data block, which the pages' CSP (script-src 'self') lets be, as it is
/// never run. Shape: <c>{ kind: "line"|"pie", step, labels?, points: [{ t, href }], series: [{ label, color, dash,
/// values, threshold? }] }</c> (a threshold is a flat line without points); times are UTC instants that usage.js labels in the browser's zone; <c>href</c> is the request log
/// of the point's window. Colours are backed by dashes and legend text, never the only difference.
/// </summary>
public static class UsageCharts
{
    public const string Blue = "#0a58ca";
    public const string Green = "#146c43";
    public const string Red = "#b02a37";
    public const string Yellow = "#cc9a06";

    private static readonly int[] Solid = [];
    private static readonly int[] Dashed = [6, 3];
    private static readonly int[] Dotted = [2, 2];
    private static readonly int[] LongDashed = [8, 4];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web); // escapes <, > and & for the HTML

    public static string Volume(ApiUsageView view, Func<DateTime, DateTime, string?, string> requestsUrl)
    {
        var step = new UsageWindow(view.From, view.To, view.Step).StepLength;
        return JsonSerializer.Serialize(new
        {
            kind = "line",
            step = view.Step,
            y = "Requests",
            points = view.Series.Select(p => new { t = p.T, href = requestsUrl(p.T, p.T + step, null) }),
            series = new object[]
            {
                new { label = "Total", color = Blue, dash = Solid, values = view.Series.Select(p => p.Total) },
                new { label = "Success", color = Green, dash = Dashed, values = view.Series.Select(p => p.Success) },
                new { label = "Errors", color = Red, dash = Dotted, values = view.Series.Select(p => p.Errors) },
            },
        }, Json);
    }

    public static string RateLimit(ApiUsageView view, Func<DateTime, DateTime, string?, string> requestsUrl)
    {
        var step = new UsageWindow(view.From, view.To, view.Step).StepLength;
        var limit = view.RateLimit.LimitPerMinute;
        return JsonSerializer.Serialize(new
        {
            kind = "line",
            step = view.Step,
            y = "Requests in the busiest minute",
            points = view.RateLimit.Series.Select(p => new { t = p.T, href = requestsUrl(p.T, p.T + step, null) }),
            series = new object[]
            {
                new { label = "Peak requests/minute", color = Blue, dash = Solid, values = view.RateLimit.Series.Select(p => (double)p.Used) },
                new { label = "Warning: 80% of limit", color = Yellow, dash = LongDashed, threshold = true, values = view.RateLimit.Series.Select(_ => limit * 0.8) },
                new { label = "Critical: 95% of limit", color = Red, dash = Dotted, threshold = true, values = view.RateLimit.Series.Select(_ => limit * 0.95) },
            },
        }, Json);
    }

    /// <summary>The error answers by status, largest share first (the spec's "400 Bad Request: 45%").</summary>
    public static List<(int Status, string Label, long Count, decimal Share)> ErrorShares(ApiUsageView view)
    {
        var total = view.Errors.Sum(e => e.Count);
        return view.Errors.GroupBy(e => e.Status)
            .Select(g => (g.Key, $"{g.Key.ToString(CultureInfo.InvariantCulture)} {StatusName(g.Key)}", g.Sum(e => e.Count),
                total == 0 ? 0m : Math.Round(100m * g.Sum(e => e.Count) / total, 1)))
            .OrderByDescending(e => e.Item3).ThenBy(e => e.Key).ToList();
    }

    public static string Errors(ApiUsageView view, Func<DateTime, DateTime, string?, string> requestsUrl)
    {
        var shares = ErrorShares(view);
        string[] palette = [Red, Blue, Yellow, Green, "#6f42c1", "#495057", "#d63384", "#0dcaf0"];
        return JsonSerializer.Serialize(new
        {
            kind = "pie",
            labels = shares.Select(s => $"{s.Label}: {Percent(s.Share)}"),
            points = shares.Select(s => new { t = view.From, href = requestsUrl(view.From, view.To, s.Status.ToString(CultureInfo.InvariantCulture)) }),
            series = new[] { new { label = "Errors", colors = shares.Select((_, i) => palette[i % palette.Length]), values = shares.Select(s => s.Count) } },
        }, Json);
    }

    /// <summary>429 and 500 as the spec names them ("Rate Limit", "Server Error"); the others by their reason phrase.</summary>
    public static string StatusName(int status) => status switch
    {
        429 => "Rate Limit",
        500 => "Server Error",
        _ => ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error",
    };

    /// <summary>A percentage as the spec writes it: "99.5%", "100%".</summary>
    public static string Percent(decimal percent) => percent.ToString("0.#", CultureInfo.InvariantCulture) + "%";

    /// <summary>A rate (a fraction, 0.995) as "99.5%".</summary>
    public static string Rate(decimal fraction) => Percent(Math.Round(fraction * 100, 1));

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ms(double? ms) => ms is { } v ? v.ToString("0.#", CultureInfo.InvariantCulture) + "ms" : "—";
}
