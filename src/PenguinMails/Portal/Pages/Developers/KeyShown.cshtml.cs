using System.Globalization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Data;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// <c>/dashboard/settings/developers/keys/created</c>: the whole key, once. It comes from TempData (an encrypted cookie
/// read and deleted by this very response, never in the URL), so reloading the page shows only that it is gone.
/// After a rotation, also until when the old key keeps working.
/// </summary>
public sealed class KeyShownModel(AppDb db, IOptions<PenguinMailsOptions> options) : PageModel
{
    private const string SecretKey = "pm_key_secret";
    private const string IdKey = "pm_key_id";
    private const string PreviousKey = "pm_key_previous_until";

    public string? Secret { get; private set; }
    public ApiKey? Key { get; private set; }
    public DateTime? PreviousValidUntil { get; private set; }
    public string BaseUrl { get; private set; } = "";

    internal static void Keep(ITempDataDictionary tempData, Guid id, string secret, DateTime? previousValidUntil)
    {
        tempData[SecretKey] = secret;
        tempData[IdKey] = id.ToString();
        if (previousValidUntil is { } until)
        {
            tempData[PreviousKey] = until.Ticks.ToString(CultureInfo.InvariantCulture);
        }
    }

    public async Task OnGetAsync()
    {
        BaseUrl = string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? $"{Request.Scheme}://{Request.Host}" : options.Value.PublicUrl.TrimEnd('/');
        var secret = TempData[SecretKey] as string;
        // The TempData serializer gives a string that reads as a Guid back as a Guid: ToString() takes either.
        var id = TempData[IdKey]?.ToString();
        var previous = TempData[PreviousKey]?.ToString();
        if (secret is null || !Guid.TryParse(id, out var keyId))
        {
            return;
        }

        // The tenant filter hides a key of another tenant (a tenant switch in between): then nothing is shown.
        Key = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == keyId, HttpContext.RequestAborted);
        Secret = Key is null ? null : secret;
        PreviousValidUntil = long.TryParse(previous, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            ? new DateTime(ticks, DateTimeKind.Utc) : null;
    }
}
