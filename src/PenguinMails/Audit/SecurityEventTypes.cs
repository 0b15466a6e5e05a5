namespace PenguinMails.Audit;

/// <summary>The <c>type</c> of every audit-log entry; the audit-log API's <c>type</c> filter takes these.</summary>
public static class SecurityEventTypes
{
    public const string KeyCreated = "api_key.created";
    /// <summary>A key's name, description, permissions or IP allow-list changed; the detail says which and their new values.</summary>
    public const string KeyUpdated = "api_key.updated";
    public const string KeyRotated = "api_key.rotated";
    public const string KeyRevoked = "api_key.revoked";
    /// <summary>Requests refused by a key's IP allow-list: the first of a burst at once, then one entry a minute with the count.</summary>
    public const string IpDenied = "auth.ip_denied";
    public const string SignedIn = "auth.signed_in";
    /// <summary>A wrong password or two-factor code for an existing account (an unknown address belongs to no tenant).</summary>
    public const string SignInFailed = "auth.sign_in_failed";
    public const string LockedOut = "auth.locked_out";
    public const string SudoConfirmed = "auth.sudo_confirmed";
    public const string SudoFailed = "auth.sudo_failed";
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role_changed";
    public const string UserRemoved = "user.removed";
    public const string UserPasswordReset = "user.password_reset";
    public const string UserUnlocked = "user.unlocked";
    public const string TenantCreated = "tenant.created";
    public const string PlanChanged = "tenant.plan_changed";
    public const string PasswordChanged = "account.password_changed";
    public const string PasswordResetRequested = "account.password_reset_requested";
    public const string PasswordResetCompleted = "account.password_reset_completed";
    public const string TwoFactorEnabled = "account.two_factor_enabled";
    public const string TwoFactorDisabled = "account.two_factor_disabled";
    public const string RecoveryCodesRegenerated = "account.recovery_codes_regenerated";
    public const string RecoveryCodeUsed = "account.recovery_code_used";
    /// <summary>The tenant's delivery transport or ESP credentials changed; the detail names what changed, never a secret.</summary>
    public const string EspSettingsChanged = "esp.settings_changed";
    /// <summary>An inbound ESP webhook call with bad credentials or signature: the first of a minute at once, then counted.</summary>
    public const string EspWebhookRefused = "esp.webhook_refused";

    public static readonly IReadOnlyList<string> All =
    [
        KeyCreated, KeyUpdated, KeyRotated, KeyRevoked, IpDenied, SignedIn, SignInFailed, LockedOut, SudoConfirmed, SudoFailed,
        UserCreated, UserRoleChanged, UserRemoved, UserPasswordReset, UserUnlocked, TenantCreated, PlanChanged,
        PasswordChanged, PasswordResetRequested, PasswordResetCompleted, TwoFactorEnabled, TwoFactorDisabled,
        RecoveryCodesRegenerated, RecoveryCodeUsed, EspSettingsChanged, EspWebhookRefused,
    ];
}
