using PenguinMails.Tenancy;

namespace PenguinMails.Users;

/// <summary>A person who signs in to the dashboard. Passwords are hashed with ASP.NET Core Identity's hasher.</summary>
public sealed class User : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Email { get; set; }
    public UserRole Role { get; set; } = UserRole.Developer;
    public string PasswordHash { get; set; } = "";
    public DateTime CreatedAt { get; init; }
}

public enum UserRole
{
    Admin,
    Developer,
}
