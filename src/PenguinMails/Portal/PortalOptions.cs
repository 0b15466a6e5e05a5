namespace PenguinMails.Portal;

/// <summary>Settings of the portal's sign-in (PenguinMails:Portal).</summary>
public sealed class PortalOptions
{
    /// <summary>Consecutive wrong passwords that lock an account.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked, in minutes (or until `users reset-password`).</summary>
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a sign-in lasts without activity, in hours (sliding).</summary>
    public int SessionHours { get; set; } = 8;

    /// <summary>
    /// Sudo mode's window, in minutes: how long after a password entry keys may be created, edited, rotated and revoked
    /// without asking for it again. Fractions are allowed (0.5 = 30 seconds).
    /// </summary>
    public double SudoMinutes { get; set; } = 10;
}
