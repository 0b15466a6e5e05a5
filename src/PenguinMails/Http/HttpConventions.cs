using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using PenguinMails.ApiUsage;
using PenguinMails.Portal;

namespace PenguinMails.Http;

/// <summary>The wire conventions of api-reference.md: snake_case JSON, envelopes for every answer, request ids.</summary>
public static class HttpConventions
{
    public static IServiceCollection AddHttpConventions(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DictionaryKeyPolicy = null;
            // A number is a JSON number: "30", "+30" or "030" for expires_in_days is refused, not read (the web defaults
            // read numbers from strings, and the document then typed every number in an answer as "integer or string").
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            // The API's words only: 99 or -1 is not a suppression reason (an integer was once stored as given), nor is
            // "hardBounce" or "Manual" (the C# names, in any case, which JsonStringEnumConverter also read).
            json.SerializerOptions.Converters.Add(new ExactEnumConverter());
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow; // UnknownFields
            // {"email": "a@…", "Email": "b@…"} is refused rather than answered with whichever came last (RFC 8259 §4).
            json.SerializerOptions.AllowDuplicateProperties = false;
            json.SerializerOptions.Converters.Add(new Timestamps.JsonConverter());
            json.SerializerOptions.Converters.Add(new NulCharacters.StringConverter());
            json.SerializerOptions.TypeInfoResolver = JsonTypeInfoResolver.WithAddedModifier(
                    json.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver(), NullElements.Refuse)
                .WithAddedModifier(FreeFormJson.Check)
                .WithAddedModifier(PartialUpdates.Check);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddSingleton<IProblemDetailsWriter, EnvelopeProblemDetailsWriter>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IOptions<PenguinMailsOptions>>((k, o) => k.Limits.MaxRequestBodySize = o.Value.Http.MaxRequestBodyBytes);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<PenguinMailsOptions>>((forwarded, o) =>
        {
            var options = o.Value;
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in options.Http.TrustedProxies)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Contains('/', StringComparison.Ordinal)
                    ? proxy
                    : $"{proxy}/{(IPAddress.Parse(proxy).AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)}"));
            }
        });
        return services;
    }

    public static WebApplication UseHttpConventions(this WebApplication app, PenguinMailsOptions options)
    {
        if (options.Http.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseRequestIds();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles(); // the portal's vendored lib/ packages, before routing: files never need a key
        app.UsePortalPages();
        app.UseV1PathAlias();
        app.UseHeadAsGet();
        app.UseRouting();
        app.UseRequestLog();
        app.UseUnknownRoutes();
        app.UseQueryStringText();
        app.UseContentCodings();
        app.UseJsonCharset();
        app.UseBodySizeLimit();
        return app;
    }
}
