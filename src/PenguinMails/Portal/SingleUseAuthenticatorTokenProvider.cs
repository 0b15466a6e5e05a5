using System.Globalization;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace PenguinMails.Portal;

/// <summary>
/// Authenticator-app codes (RFC 6238 TOTP: HMAC-SHA1, 30-second steps, 6 digits — what the apps compute, through Otp.NET),
/// on the server's <see cref="TimeProvider"/>, accepting one step either side for clock drift (RFC 6238 §5.2
/// recommends at most one) and each code once: "the verifier MUST NOT accept the second attempt of the same OTP after
/// the successful validation has been issued for the first OTP" (§5.2), which Identity's own provider does not enforce.
/// The last step accepted is kept as an Identity user token; a code of that step or an earlier one is refused.
/// </summary>
public sealed class SingleUseAuthenticatorTokenProvider(TimeProvider time) : IUserTwoFactorTokenProvider<Users.Account>
{
    public const string Name = "SingleUseAuthenticator";
    private const string Store = "[PenguinMails]";
    private const string LastStepToken = "TotpLastStep";

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<Users.Account> manager, Users.Account user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>Codes come from the person's app, never from the server.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<Users.Account> manager, Users.Account user) => Task.FromResult("");

    /// <summary>True when <paramref name="token"/> (six ASCII digits; anything else is refused) is the code of the current step or one either side, and newer than the last accepted.</summary>
    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<Users.Account> manager, Users.Account user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(time.GetUtcNow().UtcDateTime, token, out var step, new VerificationWindow(previous: 1, future: 1)))
        {
            return false;
        }

        var last = await manager.GetAuthenticationTokenAsync(user, Store, LastStepToken);
        if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep)
        {
            return false;
        }

        var saved = await manager.SetAuthenticationTokenAsync(user, Store, LastStepToken, step.ToString(CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }
}
