using PenguinMails.Tenancy;

namespace PenguinMails.Users;

/// <summary>An account's place in one tenant, with its role there. An account has at most one per tenant.</summary>
public sealed class Membership : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public Guid AccountId { get; init; }
    public UserRole Role { get; set; } = UserRole.Developer;
    public DateTime CreatedAt { get; init; }
}

public enum UserRole
{
    Admin,
    Developer,
}
