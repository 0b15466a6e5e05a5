using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;

namespace PenguinMails.Portal;

/// <summary>
/// Sudo mode (DECISIONS.md "API keys"): creating, rotating and revoking keys and editing their permissions need a
/// password entered in the last <see cref="PortalOptions.SudoMinutes"/> (10 by default). The instant of the last entry (Unix seconds, UTC) is a claim of the auth cookie, which is
/// encrypted and signed by Data Protection, so a client can neither read nor forge it; sign-in, the password change
/// and the confirm-password page set it, re-sign-ins for other reasons (tenant switch, stamp refresh) carry it over.
/// </summary>
public static class PortalSudo
{
    public const string ClaimType = "pm_sudo_at";

    /// <summary>The claim saying a password was entered now.</summary>
    public static Claim Fresh(TimeProvider time) =>
        new(ClaimType, time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>The user's sudo claim as it is, to carry into a new sign-in that is not a password entry.</summary>
    public static Claim[] Carry(ClaimsPrincipal user) =>
        user.FindFirst(ClaimType) is { } at ? [new Claim(ClaimType, at.Value)] : [];

    /// <summary>Whether the signed-in user of <paramref name="http"/> entered their password within the configured window.</summary>
    public static bool IsFresh(HttpContext http)
    {
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var window = TimeSpan.FromMinutes(http.RequestServices.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Portal.SudoMinutes);
        return long.TryParse(http.User.FindFirstValue(ClaimType), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) is var age
            && age >= TimeSpan.Zero && age <= window;
    }

    /// <summary>The window as people read it: "10 minutes", "1 minute", "30 seconds".</summary>
    public static string Describe(double minutes) =>
        minutes >= 1 ? (minutes == 1 ? "1 minute" : $"{minutes.ToString("0.#", CultureInfo.InvariantCulture)} minutes")
        : $"{Math.Round(minutes * 60).ToString(CultureInfo.InvariantCulture)} seconds";

    /// <summary>Where to send a user whose sudo mode ran out; they come back to <paramref name="returnUrl"/>.</summary>
    public static string PromptFor(string returnUrl) => $"{PortalPaths.ConfirmPassword}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
