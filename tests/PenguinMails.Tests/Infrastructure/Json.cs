using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PenguinMails.Tests.Infrastructure;

public static class Json
{
    public static async Task<JsonNode> BodyAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            return JsonNode.Parse(text) ?? throw new InvalidOperationException("empty body");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Not JSON ({(int)response.StatusCode}): {text}", e);
        }
    }

    /// <summary>Asserts the error envelope and returns its error object.</summary>
    public static async Task<JsonNode> ErrorAsync(this HttpResponseMessage response, int status, string code)
    {
        var body = await response.BodyAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status} {code}, got {(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.False(body["success"]!.GetValue<bool>());
        var error = body["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.StartsWith("req_", error["request_id"]!.GetValue<string>());
        Assert.True(response.Headers.TryGetValues("X-Request-Id", out var ids), $"{status} {code} has no X-Request-Id header");
        Assert.Equal(error["request_id"]!.GetValue<string>(), Assert.Single(ids));
        Assert.Contains("/docs/errors#" + code, error["documentation_url"]!.GetValue<string>());
        Assert.NotNull(error["details"]!.AsArray());
        Assert.NotNull(body["timestamp"]);
        return error;
    }

    /// <summary>Asserts the success envelope and returns its data.</summary>
    public static async Task<JsonNode> DataAsync(this HttpResponseMessage response, int status = 200)
    {
        var body = await response.BodyAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body.ToJsonString()}");
        Assert.True(body["success"]!.GetValue<bool>());
        Assert.StartsWith("req_", body["meta"]!["request_id"]!.GetValue<string>());
        return body["data"]!;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body);
}
