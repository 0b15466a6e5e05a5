using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Portal.Docs;

namespace PenguinMails.Portal.Pages.Developers.Docs;

/// <summary>What every page of the API docs shows: the sidebar over the served OpenAPI document, and the base URL.</summary>
public abstract class DocsPageModel(ApiReference reference, PublicBaseUrl baseUrl) : PageModel
{
    public ApiReferenceModel Reference { get; private set; } = null!;

    /// <summary>The server's public base URL (no trailing slash): where the examples and install commands point.</summary>
    public string BaseUrl => baseUrl.Value;

    protected async Task LoadReferenceAsync() => Reference = await reference.GetAsync();
}
