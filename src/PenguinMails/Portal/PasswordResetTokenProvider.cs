using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace PenguinMails.Portal;

/// <summary>
/// The token of a "forgot password" link: Identity's DataProtectorTokenProvider design (creation time, account id,
/// purpose and security stamp, encrypted and signed by Data Protection), but timed on the server's
/// <see cref="TimeProvider"/> (Identity's reads the system clock, so expiry could not be tested) and written base64url,
/// ready for a URL. Valid for <c>Portal:PasswordResetMinutes</c>; single-use because resetting the password changes the
/// security stamp — as does any other password change, which likewise ends every link sent before it.
/// </summary>
public sealed class PasswordResetTokenProvider(IDataProtectionProvider protection, IOptions<PenguinMailsOptions> options, TimeProvider time)
    : IUserTwoFactorTokenProvider<Users.Account>
{
    public const string Name = "PortalPasswordReset";

    private readonly IDataProtector _protector = protection.CreateProtector("PenguinMails.Portal.PasswordReset");

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<Users.Account> manager, Users.Account user) => Task.FromResult(false);

    public async Task<string> GenerateAsync(string purpose, UserManager<Users.Account> manager, Users.Account user)
    {
        var payload = string.Join('\n', time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), user.Id, purpose,
            await manager.GetSecurityStampAsync(user));
        return WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(payload)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<Users.Account> manager, Users.Account user)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token))).Split('\n');
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }

        if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        var stamp = Encoding.UTF8.GetBytes(await manager.GetSecurityStampAsync(user));
        return age >= TimeSpan.Zero && age <= TimeSpan.FromMinutes(options.Value.Portal.PasswordResetMinutes)
            && parts[1] == user.Id.ToString() && parts[2] == purpose
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parts[3]), stamp);
    }
}
