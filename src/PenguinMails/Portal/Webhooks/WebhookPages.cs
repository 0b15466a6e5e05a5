using System.Globalization;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Webhooks;

/// <summary>
/// The URL space of the webhook endpoint pages (issue 12, "Pages"): the list sits on the ESP settings page
/// (<see cref="List"/>, its <c>#endpoints</c> section), everything else under <see cref="Endpoints"/>.
/// </summary>
public static class WebhookPages
{
    public const string List = "/dashboard/settings/integrations/esp/webhooks";
    public const string Endpoints = List + "/endpoints";
    public const string New = Endpoints + "/new";
    public const string SecretShown = Endpoints + "/secret";

    /// <summary>The sidebar item these pages light up.</summary>
    public const string Section = "webhooks";

    public const string NoticeKey = "pm_webhook_notice";

    public static string Detail(Guid id) => $"{Endpoints}/{id}";

    public static string Edit(Guid id) => $"{Endpoints}/{id}/edit";

    public static string Action(Guid id, string verb) => $"{Endpoints}/{id}/{verb}";

    /// <summary>The event picker's groups, in the order of <see cref="WebhookEventTypes.All"/>; <c>webhook.test</c> is left
    /// out, as "Send test event" reaches an endpoint whatever it subscribes to.</summary>
    public static readonly IReadOnlyList<(string Group, IReadOnlyList<WebhookEventTypes.Info> Types)> EventGroups =
        new[] { ("email", "Email"), ("contact", "Contact"), ("campaign", "Campaign"), ("api_key", "API key") }
            .Select(g => (g.Item2, (IReadOnlyList<WebhookEventTypes.Info>)WebhookEventTypes.Described
                .Where(d => d.Type.StartsWith(g.Item1 + ".", StringComparison.Ordinal)).ToList()))
            .ToList();

    /// <summary>"12 of 19 events", or "All events" for an endpoint that receives every type.</summary>
    public static string EventsSummary(WebhookEndpoint e) =>
        e.Events.Count == 0 ? "All events" : e.Events.Count == 1 ? e.Events[0] : $"{e.Events.Count} event types";

    /// <summary>Enabled, or why not, as words (never by colour alone).</summary>
    public static (string Label, string Badge) StatusOf(WebhookEndpoint e) =>
        e.Enabled ? (e.FailingSince is null ? ("Enabled", "text-bg-success") : ("Enabled, failing", "text-bg-warning"))
        : ("Disabled", "text-bg-secondary");

    public static string Rfc3339(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The value of a <c>datetime-local</c> field for a UTC instant (minutes).</summary>
    public static string Local(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A <c>datetime-local</c> value read as UTC (the fields say so); null when empty or not a date and time.</summary>
    public static bool TryReadLocal(string? text, out DateTime? utc)
    {
        utc = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTime.TryParseExact(text.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
        {
            utc = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
            return true;
        }

        return false;
    }
}
