using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace PenguinMails.Http;

/// <summary>
/// A query parameter the operation does not have is refused, never ignored: <c>GET /api/v1/emails?stauts=bounced</c>
/// would otherwise list every email while the caller believes it filtered them. The parameters an operation has
/// are the ones the OpenAPI document lists for it (the same API description), plus the prefixes an endpoint
/// declares with <see cref="QueryParameterPrefix"/> (<c>attribute[plan]</c>). Checked once the key is verified and
/// authorized, so a caller without access learns nothing about the parameters; <c>400 VALIDATION_ERROR</c> names each
/// unknown one and the parameter probably meant, and each one-value parameter given more than once
/// (<c>limit=1&amp;limit=2</c>). Only <c>/api/</c> is checked: not the portal, tracking links, health
/// checks, nor what other services post to <c>/inbound/</c> (bounce reports, ESP webhooks).
/// </summary>
public static partial class UnknownQueryParameters
{
    public static IApplicationBuilder UseUnknownQueryParameters(this IApplicationBuilder app)
    {
        var declared = new Lazy<Dictionary<string, Parameter[]>>(() =>
            Declared(app.ApplicationServices.GetRequiredService<IApiDescriptionGroupCollectionProvider>()));
        return app.Use((context, next) =>
        {
            if (!context.Request.QueryString.HasValue || !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint() is not RouteEndpoint endpoint
                || !declared.Value.TryGetValue(Key(context.Request.Method, endpoint.RoutePattern.RawText), out var names))
            {
                return next(context);
            }

            var prefixes = endpoint.Metadata.GetOrderedMetadata<QueryParameterPrefix>();
            var details = new List<ErrorDetail>();
            foreach (var (key, values) in context.Request.Query)
            {
                if (key.Length == 0 || prefixes.Any(p => key.StartsWith(p.Prefix, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (names.FirstOrDefault(n => n.Name.Equals(key, StringComparison.OrdinalIgnoreCase)) is not { } parameter)
                {
                    details.Add(new ErrorDetail(key, $"{UnknownFields.Shown(key)} is not a query parameter of this operation"
                        + Suggestions.Hint("", key, [.. names.Select(n => Documented(n.Name)), .. prefixes.Select(p => p.Example)], "parameters")));
                }
                else if (values.Count > 1 && !parameter.Repeatable)
                {
                    // The framework would bind one of them, or blame the value: neither says what happened.
                    details.Add(new ErrorDetail(key, $"{UnknownFields.Shown(key)} is given {values.Count} times; it takes one value."));
                }
            }

            return details.Count == 0 ? next(context) : ErrorWriter.WriteAsync(context, ErrorCodes.ValidationError, null, details);
        });
    }

    /// <summary>A query parameter an operation has; <paramref name="Repeatable"/> when it binds a list.</summary>
    private sealed record Parameter(string Name, bool Repeatable);

    /// <summary>The query parameters of each described operation, by method and route (constraints dropped).</summary>
    private static Dictionary<string, Parameter[]> Declared(IApiDescriptionGroupCollectionProvider descriptions) =>
        descriptions.ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .Where(d => d.HttpMethod is not null && d.RelativePath is not null)
            .GroupBy(d => Key(d.HttpMethod!, d.RelativePath))
            .ToDictionary(g => g.Key, g => g.SelectMany(d => d.ParameterDescriptions)
                .Where(p => p.Source == BindingSource.Query)
                .Select(p => new Parameter(p.Name, p.Type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(p.Type)))
                .DistinctBy(p => p.Name).ToArray());

    /// <summary>A parameter as the OpenAPI document names it (OpenApi/OperationErrors): snake_case.</summary>
    private static string Documented(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    private static string Key(string method, string? route) =>
        method.ToUpperInvariant() + " " + Constraint().Replace(route ?? "", "{$1}").Trim('/').ToLowerInvariant();

    [GeneratedRegex(@"\{\*{0,2}([^}:=?]+)[^}]*\}")]
    private static partial Regex Constraint();
}

/// <summary>
/// Query keys an endpoint reads by prefix rather than by name (<c>attribute[plan]=pro</c> on <c>GET /contacts</c>):
/// <see cref="UnknownQueryParameters"/> lets them through. <paramref name="Example"/> is how a suggestion shows it.
/// </summary>
public sealed record QueryParameterPrefix(string Prefix, string Example);
