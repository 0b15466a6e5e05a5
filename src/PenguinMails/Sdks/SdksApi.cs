using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using PenguinMails.Http;

namespace PenguinMails.Sdks;

/// <summary>
/// <c>/sdks/</c>: the client SDKs as installable packages, served by the server itself (issue 15 "Distribution"; the
/// product publishes nothing to public registries). Anonymous (the SDKs are MIT-licensed code, no tenant data); not
/// part of the API's OpenAPI document.
/// <list type="bullet">
/// <item><c>GET /sdks/</c> — HTML index: each package, its files with size and SHA-256, its install command.</item>
/// <item><c>/sdks/node/penguinmails-sdk-1.0.0.tgz</c> (npm), <c>/sdks/python/penguinmails-1.0.0-py3-none-any.whl</c> and
/// <c>penguinmails-1.0.0.tar.gz</c> (pip), <c>/sdks/php/packages.json</c> + <c>penguinmails-sdk-1.0.0.zip</c> (a Composer
/// repository), <c>/sdks/dotnet/index.json</c> (a NuGet v3 feed) with its flat container and the .nupkg.</item>
/// </list>
/// Absolute URLs inside packages.json and index.json use <c>PenguinMails:PublicUrl</c>, else the request's own scheme
/// and host (as the portal's code samples do).
/// </summary>
public static class SdksApi
{
    public static IServiceCollection AddSdks(this IServiceCollection services)
    {
        services.AddOptions<SdksOptions>().BindConfiguration(SdksOptions.Section);
        services.AddSingleton<SdkCatalog>();
        return services;
    }

    public static IEndpointRouteBuilder MapSdks(this IEndpointRouteBuilder app)
    {
        var sdks = app.MapGroup("/sdks").AllowAnonymous().ExcludeFromDescription();
        sdks.MapGet("/php/packages.json", (SdkCatalog catalog, HttpContext http, IOptions<PenguinMailsOptions> options) =>
            catalog.ComposerMetadata is { } metadata
                ? Results.Text(ComposerPackager.PackagesJson(metadata, BaseUrl(http, options.Value) + "/sdks/"), "application/json", Encoding.UTF8)
                : NotBuilt("php"));
        sdks.MapGet("/dotnet/index.json", (SdkCatalog catalog, HttpContext http, IOptions<PenguinMailsOptions> options) =>
            catalog.Packages.Any(p => p.Language == "dotnet" && p.Problem is null)
                ? Results.Text(NuGetFeed.ServiceIndex(BaseUrl(http, options.Value) + "/sdks/"), "application/json", Encoding.UTF8)
                : NotBuilt("dotnet"));
        sdks.MapGet("/dotnet/registration/{id}/index.json", (string id, SdkCatalog catalog, HttpContext http, IOptions<PenguinMailsOptions> options) =>
            catalog.NuGet is { } package && string.Equals(id, package.Id, StringComparison.OrdinalIgnoreCase)
                ? Results.Text(NuGetFeed.RegistrationIndex(package, BaseUrl(http, options.Value) + "/sdks/"), "application/json", Encoding.UTF8)
                : new ApiError(ErrorCodes.ResourceNotFound, "No such package in this server's NuGet feed. The list is at /sdks/."));
        sdks.MapGet("/{**path}", IResult (string? path, SdkCatalog catalog, HttpContext http, IOptions<PenguinMailsOptions> options) =>
        {
            if (string.IsNullOrEmpty(path))
            {
                // Relative links on the index resolve under /sdks/ only with the slash.
                return http.Request.Path.Value?.EndsWith('/') == true
                    ? Results.Content(SdksIndexPage.Render(catalog.Packages, BaseUrl(http, options.Value)), "text/html; charset=utf-8")
                    : Results.Redirect("/sdks/");
            }

            if (catalog.Find(path) is not { } file)
            {
                return new ApiError(ErrorCodes.ResourceNotFound, "No such SDK package file on this server. The list is at /sdks/.");
            }

            var etag = new EntityTagHeaderValue($"\"{file.Sha256}\"");
            http.Response.Headers.CacheControl = "public, max-age=300";
            var name = file.Path[(file.Path.LastIndexOf('/') + 1)..];
            var download = file.ContentType.StartsWith("application/json", StringComparison.Ordinal) || file.ContentType == "application/xml" ? null : name;
            return Results.File(file.Content, file.ContentType, download, entityTag: etag);
        });
        return app;
    }

    private static ApiError NotBuilt(string language) =>
        new(ErrorCodes.ResourceNotFound, $"The {language} SDK package is not available on this server (its log says why). The list is at /sdks/.");

    /// <summary>The server's public base URL (no trailing slash).</summary>
    public static string BaseUrl(HttpContext http, PenguinMailsOptions options) =>
        !string.IsNullOrWhiteSpace(options.PublicUrl) ? options.PublicUrl.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
}
