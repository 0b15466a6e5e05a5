namespace PenguinMails.Portal;

/// <summary>Settings of the portal's sign-in (PenguinMails:Portal).</summary>
public sealed class PortalOptions
{
    /// <summary>Consecutive wrong passwords (or two-factor codes) that lock an account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked, in minutes (or until `users reset-password` or a password reset by email).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a sign-in lasts without activity, in hours (sliding).</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>
    /// Sudo mode's window, in minutes: how long after a password entry keys may be created, edited, rotated and revoked
    /// without asking for it again. Fractions are allowed (0.5 = 30 seconds).
    /// </summary>
    public double SudoMinutes { get; set; } = 10;

    /// <summary>How long a "forgot password" link works, in minutes; it also stops working once used or after any password change.</summary>
    public int PasswordResetMinutes { get; set; } = 60;

    /// <summary>At most this many reset mails to one address per hour; further requests get the same answer and send nothing.</summary>
    public int PasswordResetsPerHour { get; set; } = 3;

    /// <summary>An admin of the current tenant without two-factor must set it up before any other page (developers are not forced).</summary>
    public bool RequireTwoFactorForAdmins { get; set; }
}
