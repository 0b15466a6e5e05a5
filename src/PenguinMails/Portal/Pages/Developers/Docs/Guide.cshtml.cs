using PenguinMails.Portal.Docs;
using PenguinMails.RateLimiting;

namespace PenguinMails.Portal.Pages.Developers.Docs;

/// <summary>
/// The docs' Getting Started pages (<c>/dashboard/settings/developers/docs/{authentication|rate-limiting|error-handling}</c>):
/// written for this server — its headers, error codes (<see cref="Http.ErrorCodes"/>) and the limits this installation
/// configures, the signed-in tenant's own plan marked.
/// </summary>
public sealed class GuideModel(ApiReference reference, PublicBaseUrl baseUrl, RateLimitStatusReader limits, PortalSession session)
    : DocsPageModel(reference, baseUrl)
{
    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["authentication"] = "Authentication",
        ["rate-limiting"] = "Rate Limiting",
        ["error-handling"] = "Error Handling",
    };

    public string Guide { get; private set; } = "";
    public string Title => Titles[Guide];
    public RateLimitStatus Limit { get; private set; } = null!;
    public IReadOnlyList<(Tenancy.Plan Plan, RatePolicy Policy)> Plans { get; private set; } = [];

    public async Task OnGetAsync(string guide)
    {
        Guide = guide;
        await LoadReferenceAsync();
        Limit = await limits.GetAsync(session.Current!.Id, HttpContext.RequestAborted);
        Plans = limits.Plans();
    }
}
