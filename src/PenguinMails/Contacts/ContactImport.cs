using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Http;
using PenguinMails.Http.Idempotency;
using PenguinMails.OpenApi;

namespace PenguinMails.Contacts;

/// <summary>
/// POST /contacts/import: CSV, a JSON array or NDJSON, read from the request stream and upserted in batches with a
/// fresh change tracker each, so memory does not grow with the file. Answers counts and a per-row error report.
/// </summary>
internal static class ContactImport
{
    public const int MaxReportedErrors = 1000;

    public static RouteGroupBuilder MapContactImport(this RouteGroupBuilder contacts)
    {
        var limit = ((IEndpointRouteBuilder)contacts).ServiceProvider.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Contacts.MaxImportBytes;
        contacts.MapPost("/import", ImportAsync).WithName("importContacts").ProducesErrors(ErrorCodes.ValidationError, ErrorCodes.ImportStopped, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType, ErrorCodes.ResourceConflict).RequirePermission(Permissions.ContactsWrite).WithIdempotency()
            .WithMetadata(new ImportSizeLimit(limit))
            .WithSummary("Import contacts from CSV (text/csv), a JSON array (application/json) or NDJSON (application/x-ndjson)");
        return contacts;
    }

    private static async Task<Results<Ok<SuccessEnvelope<ImportReport>>, ApiError>> ImportAsync(
        HttpContext http, ContactUpserter upserter, IOptions<PenguinMailsOptions> options, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (http.Request.Body.CanSeek)
        {
            http.Request.Body.Position = 0; // buffered and hashed by the Idempotency-Key filter
        }

        if (Reader(http.Request.ContentType, http.Request.Body, json.Value.SerializerOptions, ct) is not { } rows)
        {
            return new ApiError(ErrorCodes.UnsupportedMediaType,
                "Send the file as text/csv, application/json (an array of contacts) or application/x-ndjson.");
        }

        var settings = options.Value.Contacts;
        var report = new ImportReport();
        var batch = new List<(int Row, UpsertContactRequest Request)>(settings.ImportBatchSize);
        var lastRow = 0;
        try
        {
            await foreach (var row in rows)
            {
                if (report.Total >= settings.MaxImportRows)
                {
                    throw new ImportFileException($"The file has more than {settings.MaxImportRows} rows.");
                }

                lastRow = row.Row;
                report.Count(row);
                if (row.Request is not null)
                {
                    batch.Add((row.Row, row.Request));
                }

                if (batch.Count >= settings.ImportBatchSize)
                {
                    report.Add(await upserter.UpsertAsync(batch, ct));
                    batch.Clear();
                }
            }

            report.Add(await upserter.UpsertAsync(batch, ct));
            report.Errors.Sort((a, b) => a.Row.CompareTo(b.Row));
            return ApiResults.Ok(http, report);
        }
        catch (Exception e) when (e is ImportFileException or JsonException or CsvHelper.CsvFormatException)
        {
            if (report.Total == 0 && e is ImportFileException)
            {
                return ApiError.Validation("file", e.Message);
            }

            report.Add(await upserter.UpsertAsync(batch, ct));
            var reason = e is ImportFileException ? e.Message : "The file is malformed after row " + lastRow + ".";
            return new ApiError(ErrorCodes.ImportStopped,
                $"{reason} The rows before it were imported: {report.Created} created, {report.Updated} updated, {report.Failed} failed.",
                [new ErrorDetail("file", reason)]);
        }
    }

    private static IAsyncEnumerable<ImportRow>? Reader(string? contentType, Stream body, JsonSerializerOptions json, CancellationToken ct) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) ? media.MediaType.Value?.ToLowerInvariant() switch
        {
            "text/csv" or "application/csv" => CsvContactReader.ReadAsync(body, ct),
            "application/json" => JsonContactReader.ReadArrayAsync(body, json, ct),
            "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines"
                => JsonContactReader.ReadLinesAsync(body, json, ct),
            _ => null,
        } : null;

    private sealed record ImportSizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
}

/// <summary>The answer to an import: counts, and for each failed row its number, address and errors (the first 1000).</summary>
public sealed class ImportReport
{
    public int Total { get; private set; }
    public int Created { get; private set; }
    public int Updated { get; private set; }
    public int Failed { get; private set; }
    public List<ImportRowError> Errors { get; } = [];
    public bool ErrorsTruncated { get; private set; }

    internal void Count(ImportRow row)
    {
        Total++;
        if (row.Request is null)
        {
            Fail(row.Row, row.Email, row.Errors);
        }
    }

    internal void Add(List<UpsertOutcome> outcomes)
    {
        foreach (var outcome in outcomes)
        {
            if (outcome.Failed)
            {
                Fail(outcome.Row, outcome.Email, outcome.Errors);
            }
            else if (outcome.Created)
            {
                Created++;
            }
            else
            {
                Updated++;
            }
        }
    }

    private void Fail(int row, string? email, IReadOnlyList<string> errors)
    {
        Failed++;
        if (Errors.Count < ContactImport.MaxReportedErrors)
        {
            Errors.Add(new ImportRowError(row, email, errors));
        }
        else
        {
            ErrorsTruncated = true;
        }
    }
}

public sealed record ImportRowError(int Row, string? Email, IReadOnlyList<string> Errors);
