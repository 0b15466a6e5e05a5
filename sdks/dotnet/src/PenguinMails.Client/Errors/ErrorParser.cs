using System.Text.Json;

namespace PenguinMails;

/// <summary>Reads the error envelope <c>{"success": false, "error": {...}}</c>; null when the body is not one.</summary>
internal static class ErrorParser
{
    public static ErrorInfo? Parse(byte[] body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var details = new List<ErrorDetail>();
            if (error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in d.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && item.Deserialize(PenguinMailsJsonContext.Default.ErrorDetail) is { } detail)
                    {
                        details.Add(detail);
                    }
                }
            }

            return new ErrorInfo(Text(error, "code") ?? "HTTP_" + status, Text(error, "message") ?? $"HTTP {status}", details,
                Text(error, "request_id"), status, Text(error, "documentation_url"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
