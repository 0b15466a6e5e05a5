namespace PenguinMails.Http;

/// <summary>
/// Routes every problem the framework reports (validation, 404 and 405 from routing, status code pages)
/// into the error envelope, so no response ever has another error shape.
/// </summary>
internal sealed class EnvelopeProblemDetailsWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        if (context.ProblemDetails is HttpValidationProblemDetails validation)
        {
            var details = validation.Errors
                .SelectMany(e => e.Value.Select(message => new ErrorDetail(FieldName(e.Key), message)))
                .ToList();
            var missing = details.Count > 0 && details.All(d => d.Message.Contains("required", StringComparison.OrdinalIgnoreCase));
            return new(ErrorWriter.WriteAsync(http, missing ? ErrorCodes.MissingRequiredField : ErrorCodes.ValidationError,
                null, details));
        }

        return new(ErrorWriter.WriteAsync(http, ErrorCodes.ForStatus(status)));
    }

    private static string FieldName(string key) =>
        string.Join('.', key.Split('.').Select(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName));
}
