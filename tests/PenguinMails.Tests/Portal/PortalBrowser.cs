using System.Text.Json;
using Microsoft.Playwright;
using PenguinMails.Tests.Cli;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// One browser walk: Debian's headless Chromium (driven by Playwright) against the real executable on loopback, at one
/// viewport width. <see cref="ShotAsync"/> saves a full-page screenshot into <see cref="ScreenshotDirectory"/> as
/// <c>portal-{width}px-{walk}-{name}.png</c>; <see cref="AssertAccessibleAsync"/> runs axe-core in the page; console
/// errors (a CSP violation shows there) are collected in <see cref="ConsoleErrors"/>.
/// </summary>
public sealed class PortalBrowser : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private readonly PenguinMailsExecutable _executable;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _walk;
    private string? _firstStartOutput;

    private PortalBrowser(PenguinMailsExecutable executable, ServeProcess server, IPlaywright playwright, IBrowser browser,
        IPage page, int width, string walk)
    {
        _executable = executable;
        Server = server;
        _playwright = playwright;
        _browser = browser;
        Page = page;
        Width = width;
        _walk = walk;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                ConsoleErrors.Add(message.Text);
            }
        };
    }

    /// <summary>PENGUINMAILS_SCREENSHOTS, else tests/PenguinMails.Tests/bin/screenshots.</summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("PENGUINMAILS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "screenshots"));

    public ServeProcess Server { get; private set; }

    /// <summary>The server's data directory (its SQLite database is penguinmails.db there), for seeding data directly.</summary>
    public string DataDirectory => _executable.DataDirectory;
    public IPage Page { get; }
    public int Width { get; }
    public List<string> ConsoleErrors { get; } = [];

    /// <summary>The first start's admin password, read from the banner the server printed.</summary>
    public string AdminPassword => (_firstStartOutput ?? Server.OutputSoFar).Split('\n').Select(l => l.Trim())
        .Single(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();

    public const string AdminEmail = "admin@penguinmails.local";

    /// <summary>Starts a fresh server (its own data directory, SQLite) and a browser page of the given width.</summary>
    /// <param name="walk">Short name of the walk, part of every screenshot's file name.</param>
    /// <param name="width">Viewport width in CSS pixels (1280 desktop, 375 phone).</param>
    /// <param name="environment">Extra environment variables for the server process (settings as PenguinMails__...).</param>
    /// <param name="timeZone">The browser's IANA time zone (e.g. America/New_York); the machine's when null.</param>
    public static async Task<PortalBrowser> StartAsync(string walk, int width, IReadOnlyDictionary<string, string>? environment = null,
        string? timeZone = null)
    {
        var executable = new PenguinMailsExecutable();
        var server = await ServeProcess.StartAsync(executable, environment);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs,
        });
        var context = await browser.NewContextAsync(new()
        {
            Permissions = ["clipboard-read", "clipboard-write"],
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = width, Height = 800 },
            TimezoneId = timeZone,
        });
        return new PortalBrowser(executable, server, playwright, browser, await context.NewPageAsync(), width, walk);
    }

    /// <summary>
    /// Stops the server and starts it again on the same data directory and address, so the browser's cookies still apply,
    /// with <paramref name="environment"/> as its extra settings (an operator changing a setting).
    /// </summary>
    public async Task RestartServerAsync(IReadOnlyDictionary<string, string>? environment = null)
    {
        _firstStartOutput ??= Server.OutputSoFar;
        var address = Server.BaseAddress;
        await Server.DisposeAsync();
        Server = await ServeProcess.StartAsync(_executable, environment, address);
    }

    /// <summary>Runs a CLI command against this server's data directory (e.g. <c>users create</c>).</summary>
    public Task<PenguinMailsExecutable.Result> CliAsync(params string[] args) => _executable.RunAsync(args);

    /// <summary>A second, separate browser context (another person) on the same server.</summary>
    public async Task<IPage> NewPersonAsync()
    {
        var context = await _browser.NewContextAsync(new()
        {
            BaseURL = Server.BaseAddress.ToString().TrimEnd('/'), ViewportSize = new() { Width = Width, Height = 800 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>Fills the sign-in form of the current page and submits it.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.Load);
    }

    /// <summary>Goes to the sign-in page and signs in as the first start's admin.</summary>
    public async Task SignInAsAdminAsync()
    {
        await Page.GotoAsync("/account/sign-in");
        await SignInAsync(Page, AdminEmail, AdminPassword);
        await Page.WaitForURLAsync("**/dashboard/settings/developers");
    }

    /// <summary>Saves a full-page screenshot of <paramref name="page"/> (default: the main page).</summary>
    public async Task ShotAsync(string name, IPage? page = null)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await (page ?? Page).ScreenshotAsync(new()
        {
            Path = Path.Combine(ScreenshotDirectory, $"portal-{Width}px-{_walk}-{name}.png"), FullPage = true,
        });
    }

    /// <summary>
    /// Screenshot, then the checks every page and state must pass: axe-core, and nothing wider than the viewport (a
    /// page that scrolls sideways at 375 px is not readable on a phone; wide tables scroll inside their own region).
    /// </summary>
    public async Task VisitAsync(string name, IPage? page = null)
    {
        await TransitionsEndedAsync(page ?? Page); // the picture shows the state a user sees, not a fade halfway
        await ShotAsync(name, page);
        await AssertAccessibleAsync(page ?? Page);
        await AssertNoSidewaysScrollAsync(page ?? Page);
    }

    /// <summary>The document is no wider than the viewport.</summary>
    public static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        var (scroll, viewport) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"),
            await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
        Assert.True(scroll <= viewport, $"{page.Url} is {scroll} px wide in a {viewport} px viewport: it scrolls sideways.");
    }

    /// <summary>
    /// axe-core 4.14.1 (vendored from npm) in the page: no violation of impact serious or critical. The pages' CSP refuses
    /// an injected script tag (as it should), so axe is evaluated through the DevTools protocol, which CSP does not govern.
    /// Running CSS transitions are waited out first: a button the test just clicked is still fading into its hover
    /// colours (Bootstrap's 0.15 s), and axe would otherwise measure a colour halfway between two states that each pass.
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        await TransitionsEndedAsync(page);
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Portal", "axe-core", "axe.min.js")));
        var violations = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run()).violations.filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.map(n => n.target.join(' ')).join(', ') + ')')");
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"{page.Url}: {string.Join("; ", found)}");
    }

    /// <summary>Waits until every running CSS transition and finite animation of the page has finished.</summary>
    public static Task TransitionsEndedAsync(IPage page) =>
        page.EvaluateAsync("() => Promise.all(document.getAnimations()" +
            ".filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished.catch(() => null)))");

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await Server.DisposeAsync();
        _executable.Dispose();
    }
}
