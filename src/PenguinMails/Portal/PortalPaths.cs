namespace PenguinMails.Portal;

/// <summary>
/// The URL space of the portal's pages: they get HTML error pages and the pages' security headers, never the
/// JSON API's envelope. Everything else keeps the API's conventions.
/// </summary>
public static class PortalPaths
{
    public const string SignIn = "/account/sign-in";
    public const string SignOut = "/account/sign-out";
    public const string ChooseTenant = "/account/choose-tenant";
    public const string Password = "/account/password";
    public const string ConfirmPassword = "/account/confirm-password";
    public const string TwoFactorSignIn = "/account/sign-in/two-factor";
    public const string ForgotPassword = "/account/forgot-password";
    public const string ResetPassword = "/account/reset-password";
    public const string Security = "/account/security";
    public const string Overview = "/dashboard/settings/developers";
    public const string Keys = "/dashboard/settings/developers/keys";
    public const string NewKey = "/dashboard/settings/developers/keys/new";
    public const string KeyShown = "/dashboard/settings/developers/keys/created";
    public const string Usage = "/dashboard/settings/developers/usage";
    public const string RateLimit = "/dashboard/settings/developers/rate-limit";
    public const string Docs = "/dashboard/settings/developers/docs";
    public const string Webhooks = "/dashboard/settings/developers/webhooks";
    public const string Plans = "/dashboard/settings/plans";
    public const string EspWebhooks = "/dashboard/settings/integrations/esp/webhooks";
    public const string Domains = "/dashboard/settings/domains";
    public const string Team = "/dashboard/settings/team";
    public const string TeamPassword = "/dashboard/settings/team/password";
    public const string Emails = "/dashboard/emails";
    public const string Suppressions = "/dashboard/suppressions";

    public static bool IsPortal(PathString path) =>
        path == "/" || path.StartsWithSegments("/dashboard") || path.StartsWithSegments("/account");
}
