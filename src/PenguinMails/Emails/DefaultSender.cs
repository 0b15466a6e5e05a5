using PenguinMails.Data;

namespace PenguinMails.Emails;

/// <summary>
/// The sender of sends and campaigns that name no <c>from</c>: the tenant's own default sender
/// (<c>tenants.default_from</c>), else the server's <c>PenguinMails:Emails:DefaultFrom</c>, else none.
/// </summary>
public static class DefaultSender
{
    /// <summary>The error text when there is none: says how to set one, so a first user can act on it.</summary>
    public const string Missing =
        "is required: this account has no default sender. Give \"from\" (an address of your sending domain), or set the " +
        "account's default sender: penguinmails tenants set-default-from --tenant <slug> --from \"Name <address@your-domain>\" " +
        "(or the server setting PenguinMails:Emails:DefaultFrom).";

    /// <summary>The current tenant's default sender (the query filter scopes the read), or null.</summary>
    public static async Task<string?> ResolveAsync(AppDb db, Guid? tenantId, EmailOptions options, CancellationToken ct)
    {
        var own = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.DefaultFrom).FirstOrDefaultAsync(ct);
        return !string.IsNullOrWhiteSpace(own) ? own
            : string.IsNullOrWhiteSpace(options.DefaultFrom) ? null : options.DefaultFrom;
    }
}
