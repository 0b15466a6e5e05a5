using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PenguinMails.Tests;

/// <summary>The client's construction, DI registration, and that the key never shows in text or errors.</summary>
public sealed class ClientTests
{
    [Fact]
    public async Task The_typed_client_of_AddPenguinMailsClient_calls_the_api()
    {
        var services = new ServiceCollection();
        services.AddPenguinMailsClient(o =>
        {
            o.ApiKey = Harness.ApiKey;
            o.BaseUrl = Harness.BaseUrl;
        });
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<PenguinMailsClient>();
        var me = await client.Account.GetAsync();

        Assert.Contains("emails:send", me.Permissions);
        Assert.Equal(Harness.BaseUrl, client.Options.BaseUrl);
    }

    [Fact]
    public async Task The_http_client_factorys_trace_logs_never_show_the_key()
    {
        var logs = new RecordingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddPenguinMailsClient(o =>
        {
            o.ApiKey = Harness.ApiKey;
            o.BaseUrl = Harness.BaseUrl;
        });
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<PenguinMailsClient>().Account.GetAsync();

        var text = logs.Text;
        Assert.Contains("/api/v1/me", text, StringComparison.Ordinal);
        Assert.Contains("Authorization", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.ApiKey[..16], text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddPenguinMailsClient_without_a_key_fails_when_resolved()
    {
        var services = new ServiceCollection();
        services.AddPenguinMailsClient(o => o.BaseUrl = Harness.BaseUrl);
        await using var provider = services.BuildServiceProvider();

        Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<PenguinMailsClient>());
    }

    [Fact]
    public async Task The_key_is_not_in_ToString_nor_in_an_authentication_error()
    {
        const string wrongKey = "pm_live_0000000000000000000000000000000000000000";
        var options = new PenguinMailsClientOptions { BaseUrl = Harness.BaseUrl, ApiKey = wrongKey };
        using var client = new PenguinMailsClient(wrongKey, options);

        var error = await Assert.ThrowsAsync<AuthenticationException>(() => client.Account.GetAsync());

        Assert.Equal(401, error.StatusCode);
        Assert.StartsWith("req_", error.RequestId, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, client.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Harness.ApiKey, Harness.Client().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_refused_is_retried_and_then_a_connection_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Harness.Client($"http://127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<ConnectionException>(() => client.ApiKeys.CreateAsync(new CreateApiKeyRequest { Name = "never sent" }));

        Assert.Equal("CONNECTION_ERROR", error.Code);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public void Invalid_options_are_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new PenguinMailsClient("", new PenguinMailsClientOptions()));
        Assert.Throws<ArgumentException>(() => new PenguinMailsClient("pm_live_x", new PenguinMailsClientOptions { BaseUrl = "ftp://example.com" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PenguinMailsClient("pm_live_x", new PenguinMailsClientOptions { MaxRetries = -1 }));
        using var defaults = new PenguinMailsClient("pm_live_x");
        Assert.Equal("http://localhost:5080", defaults.Options.BaseUrl);
    }
}

/// <summary>Keeps every log line, with its scopes' state, of every category.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly System.Text.StringBuilder lines = new();

    public string Text
    {
        get
        {
            lock (lines)
            {
                return lines.ToString();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(RecordingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner.Append("scope: " + state);
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Append(formatter(state, exception));
    }

    private void Append(string line)
    {
        lock (lines)
        {
            lines.AppendLine(line);
        }
    }
}
