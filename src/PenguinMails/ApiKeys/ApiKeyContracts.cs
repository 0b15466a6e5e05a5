using System.ComponentModel.DataAnnotations;
using PenguinMails.Http;

namespace PenguinMails.ApiKeys;

/// <summary>
/// A new key. Permissions come from <c>permissions</c>, a <c>preset</c>, or both (their union). Expiry is
/// never (default), <c>expires_in_days</c> (30, 90, 365 or any 1–3650) or a custom <c>expires_at</c>.
/// </summary>
public sealed record CreateApiKeyRequest : IValidatableObject
{
    [Required(ErrorMessage = "name is required."), TextLength(100, MinimumLength = 1, ErrorMessage = "name must have 1 to 100 characters."), OneLine]
    public string Name { get; init; } = "";

    [TextLength(500, ErrorMessage = "description must have at most 500 characters.")]
    public string? Description { get; init; }

    /// <summary><c>live</c> (default) or <c>test</c>.</summary>
    [AllowedValues("live", "test", null, ErrorMessage = "environment must be live or test.")]
    public string? Environment { get; init; }

    [KnownPermissions]
    public List<string>? Permissions { get; init; }

    /// <summary><c>read_only</c>, <c>full_access</c> or <c>email_sending</c>.</summary>
    [AllowedValues("read_only", "full_access", "email_sending", null, ErrorMessage = "preset must be read_only, full_access or email_sending.")]
    public string? Preset { get; init; }

    [Range(1, 3650, ErrorMessage = "expires_in_days must be between 1 and 3650.")]
    public int? ExpiresInDays { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>IPv4/IPv6 addresses and CIDR ranges; empty or absent allows every address.</summary>
    [MaxLength(100, ErrorMessage = "allowed_ips may list at most 100 entries."), IpAddressesOrRanges]
    public List<string>? AllowedIps { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ExpiresInDays is not null && ExpiresAt is not null)
        {
            yield return new("Send expires_in_days or expires_at, not both.", ["expires_at"]);
        }

        if ((Permissions is null || Permissions.Count == 0) && Preset is null)
        {
            yield return new("Choose at least one permission, or a preset.", ["permissions"]);
        }
    }

    public List<string> ResolvedPermissions() =>
        ApiKeys.Permissions.Normalize((Permissions ?? []).Concat(
            Preset is null ? [] : ApiKeys.Permissions.Presets[Preset]));
}

/// <summary>Changes to a key; absent fields stay as they are.</summary>
[PartialUpdate]
public sealed record UpdateApiKeyRequest
{
    [TextLength(100, MinimumLength = 1, ErrorMessage = "name must have 1 to 100 characters."), OneLine]
    public string? Name { get; init; }

    [TextLength(500, ErrorMessage = "description must have at most 500 characters."), NullClears]
    public string? Description { get; init; }

    [MinLength(1, ErrorMessage = "permissions must not be empty; revoke the key instead."), KnownPermissions]
    public List<string>? Permissions { get; init; }

    [MaxLength(100, ErrorMessage = "allowed_ips may list at most 100 entries."), IpAddressesOrRanges, NullClears]
    public List<string>? AllowedIps { get; init; }
}

/// <summary>Every entry names a permission of <see cref="ApiKeys.Permissions.All"/>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnownPermissionsAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var unknown = (value as IEnumerable<string> ?? []).Where(p => !ApiKeys.Permissions.IsKnown(p)).ToList();
        return unknown.Count == 0 ? ValidationResult.Success : new ValidationResult(
            $"Not permissions: {string.Join(", ", unknown)}. Known: {string.Join(", ", ApiKeys.Permissions.All)}.");
    }
}

/// <summary>Every entry is an IPv4/IPv6 address or a CIDR range without host bits.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IpAddressesOrRangesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var errors = new List<string>();
        foreach (var entry in value as IEnumerable<string> ?? [])
        {
            if (!IpAllowList.TryParse(entry, out _, out var error))
            {
                errors.Add(error);
            }
        }

        return errors.Count == 0 ? ValidationResult.Success : new ValidationResult(string.Join(" ", errors));
    }
}

public sealed record ApiKeyUsageSummary(
    long TotalRequests,
    [property: System.Text.Json.Serialization.JsonPropertyName("last_24h")] long Last24Hours,
    double ErrorRate);

/// <summary>A key as the API shows it: never its secret, only its identifier and masked form.</summary>
public sealed record ApiKeyResponse(
    Guid Id,
    string Name,
    string? Description,
    string Environment,
    string KeyId,
    string MaskedKey,
    IReadOnlyList<string> Permissions,
    IReadOnlyList<string> AllowedIps,
    string Status,
    DateTime? ExpiresAt,
    string CreatedBy,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? LastUsedAt,
    DateTime? RevokedAt,
    DateTime? RotatedAt,
    Guid? ReplacedBy,
    Guid? RotatedFrom,
    ApiKeyUsageSummary Usage)
{
    public static ApiKeyResponse From(ApiKey key, DateTime now, ApiKeyUsageSummary usage) => new(
        key.Id, key.Name, key.Description, key.Environment.ToString().ToLowerInvariant(), key.KeyId, key.MaskedKey,
        key.Permissions, key.AllowedIps, key.StatusAt(now).ToString().ToLowerInvariant(), Utc(key.ExpiresAt),
        key.CreatedBy, key.CreatedAt, key.UpdatedAt, Utc(key.LastUsedAt), Utc(key.RevokedAt),
        Utc(key.RotatedAt), key.ReplacedById, key.RotatedFromId, usage);

    private static DateTime? Utc(DateTime? value) =>
        value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}

/// <summary>The answer to create and rotate: the key's record and, this once, the whole key.</summary>
public sealed record CreatedApiKeyResponse(string Key, ApiKeyResponse ApiKey, string Warning)
{
    /// <summary>After a rotation: the replaced key, which keeps working until its expires_at (24 hours).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ApiKeyResponse? PreviousKey { get; init; }

    public const string CopyWarning = "Copy this key now. You won't be able to see it again.";
}
