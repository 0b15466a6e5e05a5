using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// A browser without JavaScript over HTTP: keeps cookies, follows no redirect by itself, and posts forms with the
/// antiforgery token of the page they came from, as a real form post does.
/// </summary>
public sealed partial class PortalClient(HttpClient http) : IDisposable
{
    public HttpClient Http { get; } = http;

    public static PortalClient For(PenguinMailsFactory app, bool https = false) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
        }));

    public static PortalClient For(Uri server) =>
        new(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
            { BaseAddress = server });

    public async Task<(HttpStatusCode Status, string Html, Uri? Location)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location);
    }

    /// <summary>GETs <paramref name="formPage"/>, then posts <paramref name="fields"/> with that page's antiforgery token to <paramref name="action"/>.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string formPage, Dictionary<string, string> fields, string? action = null) =>
        PostFormAsync(formPage, (IEnumerable<KeyValuePair<string, string>>)fields, action);

    /// <summary>As above, with fields that repeat (a group of checkboxes).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var (_, html, _) = await GetAsync(formPage);
        var token = TokenField().Match(html);
        Assert.True(token.Success, $"{formPage} has no antiforgery token");
        return await Http.PostAsync(action ?? formPage,
            new FormUrlEncodedContent([.. fields, new("__RequestVerificationToken", token.Groups[1].Value)]));
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/account/sign-in", new() { ["Input.Email"] = email, ["Input.Password"] = password });

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
