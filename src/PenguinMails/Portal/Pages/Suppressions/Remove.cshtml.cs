using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Data;
using PenguinMails.Portal.Activity;
using PenguinMails.Suppressions;

namespace PenguinMails.Portal.Pages.Suppressions;

/// <summary>
/// <c>/dashboard/suppressions/remove?email=</c>: the confirmation before an address leaves the list, saying why it was
/// suppressed and since when. Removing a hard bounce or a complaint needs the box ticked (mailing such an address again
/// harms the sender's reputation — the API's <c>force</c> for contacts); a manual or unsubscribe entry needs only the button.
/// An address not on this tenant's list is 404.
/// </summary>
public sealed class RemoveModel(AppDb db, SuppressionList list) : PageModel
{
    [FromQuery(Name = "email")] public string? Email { get; set; }

    [BindProperty] public bool Confirmed { get; set; }

    public Suppression Entry { get; private set; } = null!;
    public string? Origin { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ?? Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        if (SuppressionPages.NeedsConfirmation(Entry.Reason) && !Confirmed)
        {
            ModelState.AddModelError(nameof(Confirmed), $"Tick the box to confirm: {Entry.Email} was suppressed for a {SuppressionPages.Label(Entry.Reason).ToLowerInvariant()}.");
            return Page();
        }

        await list.RemoveAsync(Entry.Email, HttpContext.RequestAborted);
        TempData[IndexModel.NoticeKey] = $"{Entry.Email} was removed from the suppression list: new messages to it are sent.";
        return LocalRedirect(PortalPaths.Suppressions);
    }

    private async Task<IActionResult?> LoadAsync()
    {
        if (!SuppressionAddress.TryNormalize(Email, out var email)
            || await db.Suppressions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == email, HttpContext.RequestAborted) is not { } entry)
        {
            return NotFound();
        }

        Entry = entry;
        Origin = SuppressionPages.NeedsConfirmation(entry.Reason) ? await DeliveryExplanation.OriginAsync(db, email, entry, HttpContext.RequestAborted) : null;
        return null;
    }
}
