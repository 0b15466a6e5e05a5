using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// The webhook endpoint pages in real headless Chromium, delivering for real to a loopback receiver in this test
/// (PenguinMails:Webhooks:AllowedPrivateRanges lets the server reach 127.0.0.0/8): add an endpoint with picked events
/// and a header, copy its secret, a test event that succeeds, one the receiver answers 410 (failed, endpoint disabled),
/// enable and replay it (same webhook-id, succeeds), the log filtered, rotation and deletion — at 1280 and 375 px.
/// </summary>
public sealed class PortalWebhooksBrowserTests
{
    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task Endpoints_AddTestFailReplayRotateDelete_AgainstARealReceiver(int width)
    {
        using var receiver = new Receiver();
        await using var walk = await PortalBrowser.StartAsync("webhooks", width,
            new Dictionary<string, string> { ["PenguinMails__Webhooks__AllowedPrivateRanges__0"] = "127.0.0.0/8" });
        var page = walk.Page;
        await walk.SignInAsAdminAsync();
        await page.GotoAsync("/dashboard/settings/integrations/esp/webhooks");
        await Assertions.Expect(page.GetByText("No webhook endpoints yet")).ToBeVisibleAsync();
        await walk.VisitAsync("01-no-endpoints");

        await page.GetByRole(AriaRole.Link, new() { Name = "+ Add Endpoint" }).ClickAsync();
        await page.GetByLabel("Endpoint URL").FillAsync("ftp://nowhere.example");
        await page.GetByLabel("Only the events ticked below").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Endpoint" }).ClickAsync();
        await Assertions.Expect(page.GetByText("There is a problem")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#error-summary li")).ToHaveCountAsync(2);
        await walk.VisitAsync("02-add-errors");
        await page.GetByLabel("Endpoint URL").FillAsync(receiver.Url("ok"));
        await page.GetByLabel("Description (optional)").FillAsync("Order service");
        await page.GetByLabel("email.sent").CheckAsync();
        await page.GetByLabel("email.bounced").CheckAsync();
        await page.GetByLabel("contact.created").CheckAsync();
        // "All events" and ticked boxes never disagree: choosing all unticks them (and back again brings them back),
        // ticking a box chooses "Only the events ticked below".
        var (all, only) = (page.GetByLabel("All events, including types added later"), page.GetByLabel("Only the events ticked below"));
        await all.CheckAsync();
        await Assertions.Expect(page.Locator("input[name='Draft.Events']:checked")).ToHaveCountAsync(0);
        await only.CheckAsync();
        await Assertions.Expect(page.Locator("input[name='Draft.Events']:checked")).ToHaveCountAsync(3);
        await all.CheckAsync();
        await page.GetByLabel("email.sent").CheckAsync();
        await Assertions.Expect(only).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("input[name='Draft.Events']:checked")).ToHaveCountAsync(1);
        await page.GetByLabel("email.bounced").CheckAsync();
        await page.GetByLabel("contact.created").CheckAsync();
        await page.GetByLabel("Custom headers (optional)").FillAsync("X-Team: orders");
        await walk.VisitAsync("03-add-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add Endpoint" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Copy this signing secret now")).ToBeVisibleAsync();
        var secret = await page.GetByLabel("Signing secret").InputValueAsync();
        Assert.StartsWith("whsec_", secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Copy" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Copied to the clipboard.")).ToBeVisibleAsync();
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await walk.VisitAsync("04-secret-shown-once");
        await page.GetByRole(AriaRole.Link, new() { Name = "I've Saved the Secret" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await ReloadUntilVisibleAsync(page, page.Locator("#deliveries tbody").GetByText("Succeeded", new() { Exact = true }));
        var first = Assert.Single(receiver.Requests);
        Assert.Equal("/ok", first.Path);
        Assert.Equal("orders", first.Team);
        Assert.StartsWith("v1,", first.Signature);
        await walk.VisitAsync("05-test-event-succeeded");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Custom headers (optional)")).ToHaveValueAsync("X-Team: orders");
        await page.GetByLabel("Endpoint URL").FillAsync(receiver.Url("gone"));
        await walk.VisitAsync("06-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Changes" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send test event" }).ClickAsync();
        await ReloadUntilVisibleAsync(page, page.GetByText("The endpoint answered 410 Gone."));
        await Assertions.Expect(page.Locator("#deliveries tbody").GetByText("Failed", new() { Exact = true })).ToBeVisibleAsync();
        await walk.VisitAsync("07-failed-410-endpoint-disabled");

        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.GetByLabel("Endpoint URL").FillAsync(receiver.Url("ok"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Save Changes" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Enable" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The endpoint is enabled")).ToBeVisibleAsync();
        var failedRow = page.Locator("#deliveries tbody tr").Filter(new() { HasText = "Failed" });
        var eventId = (await failedRow.Locator("td[data-label=Event] span").InnerTextAsync()).Trim();
        await failedRow.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Assertions.Expect(page.GetByText("was queued again, with the same webhook-id")).ToBeVisibleAsync();
        await ReloadUntilVisibleAsync(page, page.Locator("#deliveries tbody").GetByText("Succeeded", new() { Exact = true }).Nth(1));
        Assert.Equal(2, receiver.Requests.Count(r => r.Id == eventId));
        await walk.VisitAsync("08-replayed");

        await page.GetByLabel("Status").SelectOptionAsync("failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("#deliveries tbody tr")).ToHaveCountAsync(1);
        await walk.VisitAsync("09-log-filtered-failed");
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay failed" }).ClickAsync();
        await Assertions.Expect(page.GetByText("1 failed delivery was queued again.")).ToBeVisibleAsync();
        await walk.VisitAsync("10-replay-failed-range");

        await page.GetByRole(AriaRole.Link, new() { Name = "Rotate secret" }).ClickAsync();
        await walk.VisitAsync("11-rotate-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate Secret" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The old secret keeps signing too until")).ToBeVisibleAsync();
        Assert.NotEqual(secret, await page.GetByLabel("Signing secret").InputValueAsync());
        await walk.VisitAsync("12-rotated");
        await page.GetByRole(AriaRole.Link, new() { Name = "I've Saved the Secret" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Rotated: the old secret also signs until")).ToBeVisibleAsync();
        await walk.VisitAsync("13-endpoint-after-rotation");

        await page.GetByRole(AriaRole.Link, new() { Name = "← Webhooks" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Order service")).ToBeVisibleAsync();
        await walk.VisitAsync("14-list");
        await page.GetByRole(AriaRole.Link, new() { Name = receiver.Url("ok") }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete" }).ClickAsync();
        await walk.VisitAsync("15-delete-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Endpoint" }).ClickAsync();
        await Assertions.Expect(page.GetByText("was deleted; no more events are sent to it")).ToBeVisibleAsync();
        await walk.VisitAsync("16-deleted");
        Assert.Empty(walk.ConsoleErrors);
    }

    private static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator)
    {
        var deadline = Stopwatch.StartNew();
        while (await locator.CountAsync() == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{locator} did not appear on {page.Url}");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }

    /// <summary>An HTTP receiver on loopback: <c>/ok</c> answers 200, <c>/gone</c> 410; every request is recorded.</summary>
    private sealed class Receiver : IDisposable
    {
        public sealed record Request(string Path, string? Id, string? Signature, string? Team);

        private readonly HttpListener _listener = new();
        private readonly int _port;

        public ConcurrentQueue<Request> Requests { get; } = new();

        public Receiver()
        {
            _port = LoopbackPorts.Free();
            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url(string path) => $"http://127.0.0.1:{_port}/{path}";

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                    return;
                }

                var r = context.Request;
                Requests.Enqueue(new Request(r.Url!.AbsolutePath, r.Headers["webhook-id"], r.Headers["webhook-signature"], r.Headers["X-Team"]));
                context.Response.StatusCode = r.Url.AbsolutePath == "/gone" ? 410 : 200;
                await context.Response.OutputStream.WriteAsync("received"u8.ToArray());
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
        }
    }
}
