using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// Records every answer an in-process test server gives as one tab-separated line — operationId (the endpoint's
/// name), method, route, status — appended once per distinct line to the file named by
/// <see cref="EnvironmentVariable"/> (nothing is recorded when it is unset). ./test.sh sets it for the whole suite
/// and then runs <c>DeclaredStatusesCheck</c>, which compares the file with the OpenAPI document.
/// </summary>
public sealed class AnsweredStatuses : IStartupFilter
{
    public const string EnvironmentVariable = "PENGUINMAILS_TEST_STATUS_LOG";

    private static readonly ConcurrentDictionary<string, byte> Seen = new();
    private static readonly Lock FileLock = new();

    public static string? LogPath => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } path ? path : null;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
        app =>
        {
            if (LogPath is not null)
            {
                app.Use(RecordAsync);
            }

            next(app);
        };

    private static async Task RecordAsync(HttpContext context, Func<Task> next)
    {
        // The exception handler clears the endpoint before it answers 500; this feature keeps the one routing chose.
        var endpoint = new RememberedEndpoint();
        context.Features.Set<IEndpointFeature>(endpoint);
        try
        {
            await next();
        }
        catch
        {
            Record(endpoint.Chosen, context.Request.Method, 500);
            throw;
        }

        Record(endpoint.Chosen, context.Request.Method, context.Response.StatusCode);
    }

    private static void Record(Endpoint? endpoint, string method, int status)
    {
        if (endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is not { } operationId || LogPath is not { } path)
        {
            return; // not an operation of the document (tracking links, docs pages, unknown routes)
        }

        var route = (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "";
        var line = $"{operationId}\t{method}\t{route}\t{status}";
        if (Seen.TryAdd(line, 0))
        {
            lock (FileLock)
            {
                File.AppendAllText(path, line + "\n");
            }
        }
    }

    private sealed class RememberedEndpoint : IEndpointFeature
    {
        private Endpoint? _current;

        public Endpoint? Chosen { get; private set; }

        public Endpoint? Endpoint
        {
            get => _current;
            set
            {
                _current = value;
                Chosen = value ?? Chosen;
            }
        }
    }
}
