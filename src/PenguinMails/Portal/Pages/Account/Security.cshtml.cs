using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using PenguinMails.Audit;
using QRCoder;

namespace PenguinMails.Portal.Pages.Account;

/// <summary>
/// Account security: the password (a link to change it) and two-factor with an authenticator app (RFC 6238 TOTP,
/// Identity's authenticator provider). Set-up shows a QR code of the <c>otpauth://</c> URI — a PNG rendered here and
/// inlined as a data: URI, so the CSP needs no script — and the key as text; a correct 6-digit code turns it on and
/// shows 10 recovery codes once. Turning it off and new recovery codes need sudo mode (<see cref="PortalSudo"/>).
/// Turning two-factor on or off changes the stamp, which ends the account's other sessions; this one is renewed. The
/// first visit makes the authenticator key (not yet in force) without changing the stamp.
/// </summary>
[NoTenantRequired]
[AllowedBeforeTwoFactor]
public sealed class SecurityModel(UserManager<Users.Account> users, PortalSignIn portal, AccountEvents events, TwoFactorPolicy policy,
    PortalSession session, IUserStore<Users.Account> store) : PageModel
{
    private const int RecoveryCodeCount = 10;

    public bool Enabled { get; private set; }
    public int RecoveryCodesLeft { get; private set; }
    public string SharedKey { get; private set; } = "";
    public string QrCodeDataUri { get; private set; } = "";

    /// <summary>Recovery codes just made: shown in this answer only.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

    /// <summary>The operator requires two-factor of admins and this one has none yet.</summary>
    public bool Required => !Enabled && policy.RequiredFor(session.Current);

    [BindProperty(SupportsGet = true)]
    public string? Status { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() is null ? Challenge() : Page();

    public async Task<IActionResult> OnPostEnableAsync()
    {
        if (await LoadAsync() is not { } account)
        {
            return Challenge();
        }

        if (Enabled)
        {
            return LocalRedirect(PortalPaths.Security);
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            ModelState.AddModelError(nameof(Code), "Enter the 6-digit code your authenticator app shows.");
            return Page();
        }

        if (!await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "That code is not correct. Check that your device's clock is right and enter the code now shown.");
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(account, true);
        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount))?.ToList() ?? [];
        await events.RecordAsync(account, SecurityEventTypes.TwoFactorEnabled, HttpContext);
        await portal.RenewAsync(account, User);
        (Enabled, RecoveryCodesLeft, Status) = (true, NewRecoveryCodes.Count, "enabled");
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(PortalPaths.Security));
        }

        if (await users.GetUserAsync(User) is not { } account)
        {
            return Challenge();
        }

        if (account.TwoFactorEnabled)
        {
            await users.SetTwoFactorEnabledAsync(account, false);
            await users.ResetAuthenticatorKeyAsync(account); // a later set-up starts from a new key; the old app entry is dead
            await events.RecordAsync(account, SecurityEventTypes.TwoFactorDisabled, HttpContext);
            await portal.RenewAsync(account, User);
        }

        return LocalRedirect($"{PortalPaths.Security}?status=disabled");
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        if (!PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(PortalPaths.Security));
        }

        if (await LoadAsync() is not { } account)
        {
            return Challenge();
        }

        if (!Enabled)
        {
            return LocalRedirect(PortalPaths.Security);
        }

        NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount))?.ToList() ?? [];
        await events.RecordAsync(account, SecurityEventTypes.RecoveryCodesRegenerated, HttpContext);
        (RecoveryCodesLeft, Status) = (NewRecoveryCodes.Count, "regenerated");
        return Page();
    }

    /// <summary>The account and its two-factor state; without two-factor, its authenticator key (made on first visit) and QR code.</summary>
    private async Task<Users.Account?> LoadAsync()
    {
        if (await users.GetUserAsync(User) is not { } account)
        {
            return null;
        }

        Enabled = account.TwoFactorEnabled;
        if (Enabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(account);
            return account;
        }

        var key = await users.GetAuthenticatorKeyAsync(account);
        if (string.IsNullOrEmpty(key))
        {
            // A key not yet turned on guards nothing, so making it keeps the security stamp (Identity's
            // ResetAuthenticatorKeyAsync would change it and end the account's other sessions for a mere visit).
            key = users.GenerateNewAuthenticatorKey();
            await ((IUserAuthenticatorKeyStore<Users.Account>)store).SetAuthenticatorKeyAsync(account, key, HttpContext.RequestAborted);
            await users.UpdateAsync(account);
        }

        SharedKey = Grouped(key);
        var label = Uri.EscapeDataString("PenguinMails:" + account.Email);
        using var data = QRCodeGenerator.GenerateQrCode($"otpauth://totp/{label}?secret={key}&issuer=PenguinMails&digits=6",
            QRCodeGenerator.ECCLevel.M);
        QrCodeDataUri = "data:image/png;base64," + Convert.ToBase64String(new PngByteQRCode(data).GetGraphic(6));
        return account;
    }

    /// <summary>The key in groups of four, lower-case, as authenticator apps show it.</summary>
    private static string Grouped(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        }

        return text.ToString().TrimEnd().ToLowerInvariant();
    }
}
