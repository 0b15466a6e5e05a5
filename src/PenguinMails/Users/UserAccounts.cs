using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using PenguinMails.Data;

namespace PenguinMails.Users;

/// <summary>Creates dashboard users with a generated password that is shown once and stored only hashed.</summary>
public sealed class UserAccounts(AppDb db, TimeProvider time)
{
    private static readonly PasswordHasher<User> Hasher = new();

    public async Task<(User User, string Password)> CreateAsync(string email, UserRole role, CancellationToken ct)
    {
        var password = GeneratePassword();
        var user = new User { Email = email.Trim().ToLowerInvariant(), Role = role, CreatedAt = time.GetUtcNow().UtcDateTime };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return (user, password);
    }

    public static bool VerifyPassword(User user, string password) =>
        Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;

    private static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);
}
