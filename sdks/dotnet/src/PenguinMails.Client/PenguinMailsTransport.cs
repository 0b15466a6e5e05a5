using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails;

/// <summary>
/// Sends one operation and reads the envelope (api-reference "Response envelope"): the key as
/// <c>Authorization: Bearer</c>, an <c>Idempotency-Key</c> fixed for the whole call (retries included), the retry
/// mode for <see cref="PenguinMailsRetryHandler"/>; <c>data</c> (and <c>meta.pagination</c>) on success, a
/// <see cref="PenguinMailsException"/> otherwise.
/// </summary>
internal sealed class PenguinMailsTransport(HttpClient http, string apiKey, PenguinMailsClientOptions options, TimeProvider time)
{
    private static readonly string UserAgent = $"PenguinMails.Client/{typeof(PenguinMailsTransport).Assembly.GetName().Version?.ToString(3)} (.NET {Environment.Version})";
    private readonly string baseUrl = options.BaseUrl.TrimEnd('/');

    public static ByteArrayContent Json<T>(T body, JsonTypeInfo<T> info)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, info));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    public async Task<T> SendAsync<T>(HttpMethod method, string path, string? query, HttpContent? content, RetryMode mode, string? idempotencyKey, JsonTypeInfo<T> info, CancellationToken ct)
    {
        using var document = await SendJsonAsync(method, path, query, content, mode, idempotencyKey, ct).ConfigureAwait(false);
        return Data(document, info);
    }

    public async Task<IReadOnlyList<T>> SendListAsync<T>(HttpMethod method, string path, string? query, HttpContent? content, RetryMode mode, JsonTypeInfo<T> info, CancellationToken ct)
    {
        using var document = await SendJsonAsync(method, path, query, content, mode, null, ct).ConfigureAwait(false);
        return Items(document, info);
    }

    public async Task<Page<T>> SendPageAsync<T>(HttpMethod method, string path, string? query, HttpContent? content, RetryMode mode, string? idempotencyKey, JsonTypeInfo<T> info, CancellationToken ct)
    {
        using var document = await SendJsonAsync(method, path, query, content, mode, idempotencyKey, ct).ConfigureAwait(false);
        PageInfo? pagination = null;
        string? requestId = null;
        if (document.RootElement.TryGetProperty("meta", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            if (meta.TryGetProperty("pagination", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                pagination = p.Deserialize(PenguinMailsJsonContext.Default.PageInfo);
            }

            requestId = meta.TryGetProperty("request_id", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        }

        return new Page<T>(Items(document, info), pagination, requestId);
    }

    public async Task<string> SendTextAsync(HttpMethod method, string path, string? query, HttpContent? content, RetryMode mode, string? idempotencyKey, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, query, content, mode, idempotencyKey, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }

    private async Task<JsonDocument> SendJsonAsync(HttpMethod method, string path, string? query, HttpContent? content, RetryMode mode, string? idempotencyKey, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, query, content, mode, idempotencyKey, ct).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonDocument.ParseAsync(stream, default, ct).ConfigureAwait(false);
            }
            catch (JsonException e)
            {
                throw new PenguinMailsException(new ErrorInfo("INVALID_RESPONSE", $"The server's answer to {method} {path} is not JSON.", [], Header(response, "X-Request-Id"), (int)response.StatusCode, null), e);
            }
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string? query, HttpContent? content, RetryMode mode, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(baseUrl + path + query, UriKind.Absolute)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        request.Options.Set(PenguinMailsRetryHandler.ModeKey, mode);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException
                                  || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            throw new ConnectionException($"No answer from {baseUrl} to {method} {path}: {e.Message}", e);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, ct).ConfigureAwait(false);
        }
    }

    private async Task<PenguinMailsException> ErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var error = ErrorParser.Parse(body, status) ?? new ErrorInfo(
            status >= 500 ? "INTERNAL_SERVER_ERROR" : "HTTP_" + status,
            $"The server answered {status} {response.ReasonPhrase} without an error envelope.", [], Header(response, "X-Request-Id"), status, null);
        var retryAfter = RetryPolicy.RetryAfter(response.Headers, time.GetUtcNow())
                         ?? (error.Details.FirstOrDefault(d => d.RetryAfter is not null)?.RetryAfter is { } s ? TimeSpan.FromSeconds(s) : null);
        return PenguinMailsException.For(error, retryAfter);
    }

    private static string? Header(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static T Data<T>(JsonDocument document, JsonTypeInfo<T> info)
    {
        if (!document.RootElement.TryGetProperty("data", out var data) || data.Deserialize(info) is not { } value)
        {
            throw new PenguinMailsException("The server's answer has no data.");
        }

        return value;
    }

    private static List<T> Items<T>(JsonDocument document, JsonTypeInfo<T> info)
    {
        var items = new List<T>();
        if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in data.EnumerateArray())
            {
                items.Add(element.Deserialize(info)!);
            }
        }

        return items;
    }
}
