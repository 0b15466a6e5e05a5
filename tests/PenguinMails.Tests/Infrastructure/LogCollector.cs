using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>Keeps every log line the server writes, with the scopes it was written in.</summary>
public sealed class LogCollector : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<LogLine> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record LogLine(string Category, LogLevel Level, string Message, string? Exception, IReadOnlyList<object?> Scopes)
    {
        public string? RequestId => Scopes.OfType<IEnumerable<KeyValuePair<string, object>>>()
            .SelectMany(s => s).Where(p => p.Key == "request_id").Select(p => p.Value as string).FirstOrDefault();
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<object?>();
            owner._scopes.ForEachScope((scope, list) => list.Add(scope), scopes);
            owner.Lines.Enqueue(new LogLine(category, logLevel, formatter(state, exception), exception?.ToString(), scopes));
        }
    }
}
