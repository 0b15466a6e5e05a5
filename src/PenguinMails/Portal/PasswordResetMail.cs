using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using PenguinMails.Audit;
using PenguinMails.Installation;

namespace PenguinMails.Portal;

/// <summary>
/// "Forgot password": for an existing account, a reset link (<see cref="PasswordResetTokenProvider"/>) mailed as
/// installation mail, at most <c>Portal:PasswordResetsPerHour</c> to one address an hour (counted in the outbox, so
/// across nodes). For an unknown address, or past the limit, nothing is sent — and the page answers the same either
/// way, so it reveals no account. The link's base is <see cref="PublicBaseUrl"/>, never the request's Host header.
/// </summary>
public sealed class PasswordResetMail(UserManager<Users.Account> users, InstallationMail mail, AccountEvents events,
    IOptions<PenguinMailsOptions> options, PublicBaseUrl baseUrl, TimeProvider time, ILogger<PasswordResetMail> log)
{
    public async Task RequestAsync(string email, HttpContext http)
    {
        var account = await users.FindByEmailAsync(email.Trim());
        if (account?.Email is not { } address)
        {
            return;
        }

        var ct = http.RequestAborted;
        var portal = options.Value.Portal;
        var since = time.GetUtcNow().UtcDateTime.AddHours(-1);
        if (await mail.CountSinceAsync(InstallationMailPurposes.PasswordReset, address, since, ct) >= portal.PasswordResetsPerHour)
        {
            log.LogWarning("Password reset for {Account} not sent: {Limit} already sent in the last hour.", account.Id, portal.PasswordResetsPerHour);
            return;
        }

        var token = await users.GeneratePasswordResetTokenAsync(account);
        var link = $"{baseUrl.Value}{PortalPaths.ResetPassword}?id={account.Id}&token={token}";
        var minutes = portal.PasswordResetMinutes;
        var text = $"""
            Someone asked to reset the password of your PenguinMails account ({address}).

            To choose a new password, open this link within {minutes} minutes. It works once:

            {link}

            If it was not you, ignore this message: your password stays as it is.
            """;
        var html = $"""
            <p>Someone asked to reset the password of your PenguinMails account ({WebUtility.HtmlEncode(address)}).</p>
            <p>To choose a new password, open this link within {minutes} minutes. It works once:</p>
            <p><a href="{WebUtility.HtmlEncode(link)}">Reset your password</a></p>
            <p>If it was not you, ignore this message: your password stays as it is.</p>
            """;
        await mail.QueueAsync(InstallationMailPurposes.PasswordReset, address, "Reset your PenguinMails password", text, html, ct);
        await events.RecordAsync(account, SecurityEventTypes.PasswordResetRequested, http);
    }
}
