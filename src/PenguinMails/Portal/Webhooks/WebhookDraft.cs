using Microsoft.AspNetCore.Mvc.ModelBinding;
using PenguinMails.Http;
using PenguinMails.Webhooks;

namespace PenguinMails.Portal.Webhooks;

/// <summary>
/// The endpoint form of the new and edit pages, bound as <c>Draft.*</c>: the URL, a description, live or test, all
/// events (<see cref="Scope"/> <c>all</c>) or the ticked <see cref="Events"/>, and custom headers as text, one
/// <c>Name: value</c> a line. Checked here with the API's own limits and <see cref="WebhookHeaderRules"/>; the address
/// itself is judged by <see cref="WebhookEndpoints"/> when saved.
/// </summary>
public sealed class WebhookDraft
{
    public string? Url { get; set; }
    public string? Description { get; set; }
    public string Environment { get; set; } = "live";
    public string Scope { get; set; } = "all";
    public List<string> Events { get; set; } = [];
    public string? Headers { get; set; }

    public static WebhookDraft Of(WebhookEndpoint e, IReadOnlyDictionary<string, string> headers) => new()
    {
        Url = e.Url, Description = e.Description, Environment = e.Environment == WebhookEnvironment.Test ? "test" : "live",
        Scope = e.Events.Count == 0 ? "all" : "selected", Events = [.. e.Events],
        Headers = string.Join('\n', headers.Select(h => $"{h.Key}: {h.Value}")),
    };

    /// <summary>Adds an error per wrong field (keys <c>Draft.Url</c>, ...) and returns the headers read from the text.</summary>
    public Dictionary<string, string> Validate(ModelStateDictionary errors)
    {
        Url = Url?.Trim();
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        if (string.IsNullOrEmpty(Url))
        {
            errors.AddModelError("Draft.Url", "Enter the URL that receives the events.");
        }
        else if (Url.Length > 2048)
        {
            errors.AddModelError("Draft.Url", "The URL must have at most 2048 characters.");
        }
        else if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.AddModelError("Draft.Url", "Enter a full http:// or https:// URL, e.g. https://example.com/webhooks.");
        }

        if (Description is not null && TextLengthAttribute.Count(Description) > 500)
        {
            errors.AddModelError("Draft.Description", "The description must have at most 500 characters.");
        }

        if (Environment is not ("live" or "test"))
        {
            errors.AddModelError("Draft.Environment", "Choose live or test.");
        }

        Events = Events.Distinct().ToList();
        if (Scope != "all" && Events.Count == 0)
        {
            errors.AddModelError("Draft.Events", "Choose at least one event, or all events.");
        }
        else if (Scope == "all" && Events.Count > 0)
        {
            // Only without the form's script: with it, ticking a box chooses "Only the events ticked below".
            errors.AddModelError("Draft.Events", $"“All events” is chosen, and {Events.Count} {(Events.Count == 1 ? "event is" : "events are")} ticked: "
                + "choose “Only the events ticked below” to receive just those, or untick them.");
        }
        else if (Events.FirstOrDefault(t => !WebhookEventTypes.IsKnown(t)) is { } unknown)
        {
            errors.AddModelError("Draft.Events", $"“{unknown}” is not an event type.");
        }

        var headers = ReadHeaders(errors);
        if (WebhookHeaderRules.Check(headers) is { } problem)
        {
            errors.AddModelError("Draft.Headers", problem);
        }

        return headers;
    }

    public CreateWebhookRequest ToCreate(Dictionary<string, string> headers) => new()
    {
        Url = Url!, Description = Description, Environment = Environment, Events = Scope == "all" ? ["*"] : Events, Headers = headers,
    };

    public UpdateWebhookRequest ToUpdate(Dictionary<string, string> headers) => new()
    {
        Url = Url, Description = Description ?? "", Environment = Environment, Events = Scope == "all" ? ["*"] : Events, Headers = headers,
    };

    private Dictionary<string, string> ReadHeaders(ModelStateDictionary errors)
    {
        var headers = new Dictionary<string, string>();
        var lines = (Headers ?? "").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.AddModelError("Draft.Headers", $"Line {i + 1}: write each header as “Name: value”.");
                return [];
            }

            var name = lines[i][..colon].Trim();
            if (!headers.TryAdd(name, lines[i][(colon + 1)..].Trim()))
            {
                errors.AddModelError("Draft.Headers", $"The header '{name}' is given twice.");
                return [];
            }
        }

        return headers;
    }
}
