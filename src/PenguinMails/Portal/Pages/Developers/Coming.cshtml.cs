using Microsoft.AspNetCore.Mvc.RazorPages;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>The sidebar's Docs: its issue is still to come, and the page says only that.</summary>
public sealed class ComingModel : PageModel
{
    public string Section { get; private set; } = "";

    public void OnGet(string section) => Section = section;

    public string Title => "API Docs";
}
