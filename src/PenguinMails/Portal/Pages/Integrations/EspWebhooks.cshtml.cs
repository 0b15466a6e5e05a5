using PenguinMails.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Esp;
using PenguinMails.Users;

namespace PenguinMails.Portal.Pages.Integrations;

/// <summary>
/// <c>/dashboard/settings/integrations/esp/webhooks</c> (api-access-routes.md, where the developers' webhooks route
/// points): the tenant's delivery transport and, in the <c>#postmark</c> and <c>#mailgun</c> sections (partials, so the
/// page can take more sections), each ESP's credentials and the inbound webhook URL to paste into it. Saved through
/// <see cref="EspSettingsEditor"/>, as the API's PUT is (validation, encryption, audit entry). Admins only may change
/// anything or see the URLs (they are credentials), and only in sudo mode; secrets are never shown back, only "set,
/// ending in …". When sudo mode ran out nothing is kept: secrets do not wait in cookies.
/// </summary>
public sealed class EspWebhooksModel(EspSettingsEditor editor, PortalSession session) : PageModel
{
    internal const string NoticeKey = "pm_esp_notice";
    public const string Path = "/dashboard/settings/integrations/esp/webhooks";

    private static readonly Dictionary<string, string> Fields = new()
    {
        ["transport"] = "Transport", ["postmark.server_token"] = "Postmark.ServerToken", ["postmark.message_stream"] = "Postmark.MessageStream",
        ["mailgun.api_key"] = "Mailgun.ApiKey", ["mailgun.domain"] = "Mailgun.Domain", ["mailgun.region"] = "Mailgun.Region",
        ["mailgun.webhook_signing_key"] = "Mailgun.SigningKey",
    };

    public EspSettingsResponse Settings { get; private set; } = null!;
    public bool IsAdmin => session.Current!.Role == UserRole.Admin;
    public string TenantName => session.Current!.Name;

    [BindProperty]
    public string? Transport { get; set; }

    [BindProperty]
    public PostmarkInput Postmark { get; set; } = new();

    [BindProperty]
    public MailgunInput Mailgun { get; set; } = new();

    public sealed class PostmarkInput
    {
        public string? ServerToken { get; set; }
        public string? MessageStream { get; set; }
    }

    public sealed class MailgunInput
    {
        public string? ApiKey { get; set; }
        public string? Domain { get; set; }
        public string? Region { get; set; }
        public string? SigningKey { get; set; }
    }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostTransportAsync() =>
        SaveAsync(current => new EspSettingsRequest { Transport = Transport ?? "" }, "transport", "The delivery transport was saved.");

    public Task<IActionResult> OnPostPostmarkAsync() =>
        SaveAsync(current => new EspSettingsRequest
        {
            Transport = current,
// An empty secret field keeps the stored secret: it is never shown, so the form cannot hold it.
            Postmark = new PostmarkSettingsRequest { ServerToken = OptionalText.OrNull(Postmark.ServerToken), MessageStream = Postmark.MessageStream?.Trim() ?? "" },
        }, "postmark", "The Postmark settings were saved.");

    public Task<IActionResult> OnPostMailgunAsync() =>
        SaveAsync(current => new EspSettingsRequest
        {
            Transport = current,
            Mailgun = new MailgunSettingsRequest
            {
                ApiKey = OptionalText.OrNull(Mailgun.ApiKey), Domain = Mailgun.Domain?.Trim() ?? "", Region = Mailgun.Region ?? "",
                WebhookSigningKey = OptionalText.OrNull(Mailgun.SigningKey),
            },
        }, "mailgun", "The Mailgun settings were saved.");

    private async Task<IActionResult> SaveAsync(Func<string, EspSettingsRequest> request, string anchor, string notice)
    {
        if (!IsAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!PortalSudo.IsFresh(HttpContext))
        {
            TempData[NoticeKey] = "Your password confirmation had run out, so nothing was saved. Enter the settings again.";
            return LocalRedirect(PortalSudo.PromptFor($"{Path}#{anchor}"));
        }

        await LoadAsync();
        var (_, errors) = await editor.SaveAsync(request(Settings.Transport), ChangeActor.User(HttpContext, session.Email), HttpContext.RequestAborted);
        if (errors.Count == 0)
        {
            TempData[NoticeKey] = notice;
            return Redirect($"{Path}#{anchor}");
        }

        foreach (var error in errors)
        {
            ModelState.AddModelError(Fields.GetValueOrDefault(error.Field ?? "", "Transport"), Sentence(error.Message));
        }

        return Page();
    }

    /// <summary>The API's messages name JSON fields; people read the labels.</summary>
    private static string Sentence(string message) => message
        .Replace("postmark.server_token", "The Postmark server token", StringComparison.Ordinal)
        .Replace("postmark.message_stream", "The message stream", StringComparison.Ordinal)
        .Replace("mailgun.api_key", "The Mailgun API key", StringComparison.Ordinal)
        .Replace("mailgun.domain", "The Mailgun domain", StringComparison.Ordinal)
        .Replace("mailgun.region", "The region", StringComparison.Ordinal)
        .Replace("mailgun.webhook_signing_key", "The webhook signing key", StringComparison.Ordinal)
        .Replace("transport", "The delivery transport", StringComparison.Ordinal);

    private async Task LoadAsync()
    {
        Settings = await editor.GetAsync(HttpContext.RequestAborted);
        Transport ??= Settings.Transport;
        Postmark.MessageStream ??= Settings.Postmark.MessageStream;
        Mailgun.Domain ??= Settings.Mailgun.Domain;
        Mailgun.Region ??= Settings.Mailgun.Region;
    }
}
