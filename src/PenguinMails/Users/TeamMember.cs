namespace PenguinMails.Users;

/// <summary>
/// One member of the current tenant as the team page lists it: the membership's id (what URLs carry), the account's
/// email, the role here, when the membership was made (UTC), the end of a running lockout (null when not locked) and
/// whether the account signs in with a second factor (Identity's TwoFactorEnabled).
/// </summary>
public sealed record TeamMember(Guid Id, Guid AccountId, string Email, UserRole Role, DateTime AddedAt, DateTime? LockedUntil, bool TwoFactor);

/// <summary>A change the team rules refuse; the message is written for the person who asked.</summary>
public sealed class TeamRuleException(string message) : InvalidOperationException(message);
