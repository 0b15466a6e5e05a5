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

        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var media) || Format(media.MediaType.Value) is not { } format)
        {
            return new ApiError(ErrorCodes.UnsupportedMediaType,
                "Send the file as text/csv, application/json (an array of contacts) or application/x-ndjson.");
        }

        if (ImportTextStream.EncodingFor(media.Charset.Value) is null)
        {
            return new ApiError(ErrorCodes.UnsupportedMediaType,
                $"The charset '{media.Charset.Value}' is not one this server reads: send UTF-8, or name an encoding such as windows-1252, iso-8859-1 or utf-16.");
        }

        var text = ImportTextStream.Open(http.Request.Body, media.Charset.Value);
        var rows = format switch
        {
            ImportFormat.Csv => CsvContactReader.ReadAsync(text, ct),
            ImportFormat.JsonArray => JsonContactReader.ReadArrayAsync(text, json.Value.SerializerOptions, ct),
            _ => JsonContactReader.ReadLinesAsync(text, json.Value.SerializerOptions, ct),
        };

        var settings = options.Value.Contacts;
        var report = new ImportReport();
        var batch = new List<(int Row, UpsertContactRequest Request)>(settings.ImportBatchSize);
        var lastRow = 0;
        var committed = false;
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
                    committed = true;
                }
            }

            if (text.Failure is { } failure)
            {
                throw failure;
            }

            report.Add(await upserter.UpsertAsync(batch, ct));
            await upserter.AfterImportAsync(report.Created, ct);
            report.Errors.Sort((a, b) => a.Row.CompareTo(b.Row));
            return ApiResults.Ok(http, report);
        }
        catch (Exception caught) when (caught is ImportFileException or InvalidImportTextException or JsonException or CsvHelper.CsvFormatException)
        {
            // Where the text stopped being text, the readers saw its end: that, not what they made of it, is the fault.
            var e = text.Failure ?? caught;
            if (e is InvalidImportTextException early && !committed)
            {
                // A file in another encoding usually is so from its first lines on: nothing is better than the ASCII rows.
                return ApiError.Validation("file", EncodingHint(early, media.MediaType.Value));
            }

            if (report.Total == 0 && e is ImportFileException)
            {
                return ApiError.Validation("file", e.Message);
            }

            if (lastRow == 0 && e is JsonException { Path: "$", LineNumber: { } first })
            {
                // The document itself is not an array (an object, a string): the request's fault, nothing was read.
                return ApiError.Validation("file", $"The file must be a JSON array of contact objects ([{{\"email\": …}}, …]), "
                    + $"or one object a line as application/x-ndjson; it is not valid as one from line {first + 1}.");
            }

            report.Add(await upserter.UpsertAsync(batch, ct));
            var reason = e switch
            {
                ImportFileException => e.Message,
                InvalidImportTextException invalid => EncodingHint(invalid, media.MediaType.Value),
                JsonException { LineNumber: { } line } => $"The JSON is not valid at line {line + 1} (after row {lastRow}).",
                CsvHelper.CsvFormatException { LineNumber: > 0 } csv =>
                    $"The CSV cannot be read on from line {csv.LineNumber}: a record there is longer than 1 MiB (a quoted field never closed?).",
                _ => "The file is malformed after row " + lastRow + ".",
            };
            return new ApiError(ErrorCodes.ImportStopped,
                $"{reason} The rows before it were imported: {report.Created} created, {report.Updated} updated, {report.Failed} failed.",
                [new ErrorDetail("file", reason)]);
        }
    }

    private static string EncodingHint(InvalidImportTextException e, string? mediaType) =>
        $"{e.Message} Save the file as UTF-8, or name its encoding: Content-Type: {mediaType}; charset=windows-1252.";

    private static ImportFormat? Format(string? mediaType) => mediaType?.ToLowerInvariant() switch
    {
        "text/csv" or "application/csv" => ImportFormat.Csv,
        "application/json" => ImportFormat.JsonArray,
        "application/x-ndjson" or "application/ndjson" or "application/jsonl" or "application/x-jsonlines" => ImportFormat.JsonLines,
        _ => null,
    };

    private enum ImportFormat { Csv, JsonArray, JsonLines }

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
