using Microsoft.AspNetCore.Identity;

namespace PenguinMails.Users;

/// <summary>
/// A person who signs in to the portal: one per email address across the installation (user name = email,
/// both stored lower-cased). Identity keeps the password hash (its PBKDF2 hasher), the lockout counters and the
/// security stamp; what the person may do in a tenant is a <see cref="Membership"/>.
/// </summary>
public sealed class Account : IdentityUser<Guid>
{
    public DateTime CreatedAt { get; init; }
}
