using System.Globalization;
using CsvHelper;
using PenguinMails.Data;

namespace PenguinMails.ApiUsage;

/// <summary>
/// The usage page's CSV downloads ("Export Error Log", the series), written with CsvHelper a page at a time. Cells a
/// spreadsheet would run as a formula (=, +, -, @ first: error messages and endpoints carry what clients sent) are
/// prefixed with a quote (OWASP "CSV Injection").
/// </summary>
internal static class UsageCsv
{
    private const int PageSize = 1000;

    /// <summary>Columns: time, endpoint, status, code, message, key_id, environment, duration_ms, client_ip, request_id; newest first.</summary>
    public static async Task WriteErrorsAsync(HttpContext http, AppDb db, UsageWindow window, UsageFilter filter, CancellationToken ct)
    {
        var keys = await db.ApiKeys.AsNoTracking().ToDictionaryAsync(k => k.Id, k => k.KeyId, ct);
        await using var csv = CsvWriter.Create(http.Response.Body, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(["time", "endpoint", "status", "code", "message", "key_id", "environment", "duration_ms", "client_ip", "request_id"]);
        Http.Cursor? after = null;
        while (true)
        {
            var rows = RequestLogQuery.Filtered(db, filter, window.From, window.To).Where(r => r.Authenticated && r.Status >= 400);
            var page = await RequestLogQuery.After(rows, after).Take(PageSize).ToListAsync(ct);
            foreach (var row in page)
            {
                csv.WriteField(Time(row.OccurredAt));
                csv.WriteField(row.Endpoint);
                csv.WriteField(row.Status.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(row.ErrorCode ?? "");
                csv.WriteField(row.ErrorMessage ?? "");
                csv.WriteField(keys.GetValueOrDefault(row.ApiKeyId) ?? "");
                csv.WriteField(row.Environment);
                csv.WriteField(Math.Round(row.DurationMs, 3).ToString(CultureInfo.InvariantCulture));
                csv.WriteField(row.ClientIp ?? "");
                csv.WriteField(row.RequestId);
                await csv.EndRecordAsync(ct);
            }

            await csv.FlushAsync(ct);
            if (page.Count < PageSize)
            {
                break;
            }

            after = new Http.Cursor(page[^1].OccurredAt.Ticks.ToString(CultureInfo.InvariantCulture), page[^1].Id);
        }
    }

    /// <summary>Columns: t (the step's start), total, success, errors.</summary>
    public static async Task WriteSeriesAsync(HttpContext http, IReadOnlyList<SeriesPoint> series, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(http.Response.Body, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(["t", "total", "success", "errors"]);
        foreach (var point in series)
        {
            csv.WriteField(Time(point.T));
            csv.WriteField(point.Total.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(point.Success.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(point.Errors.ToString(CultureInfo.InvariantCulture));
            await csv.EndRecordAsync(ct);
        }

        await csv.FlushAsync(ct);
    }

    private static string Time(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
