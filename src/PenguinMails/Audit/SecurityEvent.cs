using PenguinMails.Tenancy;

namespace PenguinMails.Audit;

/// <summary>An audit or security event: who did what to which key, or which request was refused and why.</summary>
public sealed class SecurityEvent : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Type { get; init; }
    public required string Actor { get; init; }
    public Guid? ApiKeyId { get; init; }
    public string? IpAddress { get; init; }
    public string? Detail { get; init; }
    public DateTime OccurredAt { get; init; }
}

public static class SecurityEventTypes
{
    public const string KeyCreated = "api_key.created";
    public const string KeyUpdated = "api_key.updated";
    public const string KeyRotated = "api_key.rotated";
    public const string KeyRevoked = "api_key.revoked";
    public const string IpDenied = "auth.ip_denied";
    public const string UserCreated = "user.created";
    public const string UserRoleChanged = "user.role_changed";
    public const string UserRemoved = "user.removed";
    public const string UserPasswordReset = "user.password_reset";
    public const string UserUnlocked = "user.unlocked";
    public const string TenantCreated = "tenant.created";
    public const string PlanChanged = "tenant.plan_changed";
    public const string PasswordResetRequested = "account.password_reset_requested";
    public const string PasswordResetCompleted = "account.password_reset_completed";
    public const string TwoFactorEnabled = "account.two_factor_enabled";
    public const string TwoFactorDisabled = "account.two_factor_disabled";
    public const string RecoveryCodesRegenerated = "account.recovery_codes_regenerated";
    public const string RecoveryCodeUsed = "account.recovery_code_used";
}
