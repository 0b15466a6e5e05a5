using PenguinMails.ApiKeys;
using PenguinMails.Users;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>What _PermissionSteps shows: the ticked permissions, and the role deciding which boxes may be ticked.</summary>
public sealed record PermissionChoice(IReadOnlyCollection<string> Chosen, UserRole Role);

/// <summary>A permission as the spec's permission matrix names it.</summary>
public sealed record PermissionLabel(string Permission, string Label);

/// <summary>
/// The spec's permission categories and labels, and who may grant what from the portal. The API's rule — admin
/// permissions only by a caller holding them — becomes, for a signed-in member: admins may grant every permission,
/// developers every one but the admin ones (admin:full, admin:api_keys, admin:billing). Both may manage keys
/// (the spec's route table), and either may revoke any key of the tenant.
/// </summary>
public static class PermissionCatalog
{
    public static readonly IReadOnlyList<(string Category, IReadOnlyList<PermissionLabel> Permissions)> Categories =
    [
        ("Campaigns", [new(Permissions.CampaignsRead, "Read Campaigns"), new(Permissions.CampaignsWrite, "Write Campaigns"), new(Permissions.CampaignsDelete, "Delete Campaigns")]),
        ("Contacts", [new(Permissions.ContactsRead, "Read Contacts"), new(Permissions.ContactsWrite, "Write Contacts"), new(Permissions.ContactsDelete, "Delete Contacts")]),
        ("Analytics", [new(Permissions.AnalyticsRead, "Read Analytics"), new(Permissions.AnalyticsExport, "Export Data")]),
        ("Emails", [new(Permissions.EmailsSend, "Send Emails"), new(Permissions.EmailsSendBulk, "Send Bulk Emails")]),
        ("Domains", [new(Permissions.DomainsRead, "Read Sending Domains"), new(Permissions.DomainsWrite, "Manage Sending Domains")]),
        ("Admin (dangerous)", [new(Permissions.AdminFull, "Full Account Access"), new(Permissions.AdminApiKeys, "Manage API Keys"), new(Permissions.AdminBilling, "Manage Billing")]),
    ];

    public static readonly IReadOnlyList<(string Preset, string Label)> Presets =
        [("read_only", "Read Only"), ("full_access", "Full Access"), ("email_sending", "Email Sending")];

    public static string LabelOf(string permission) =>
        Categories.SelectMany(c => c.Permissions).FirstOrDefault(p => p.Permission == permission)?.Label ?? permission;

    public static bool MayGrant(UserRole role, string permission) =>
        role == UserRole.Admin || !permission.StartsWith("admin:", StringComparison.Ordinal);

    /// <summary>A preset's permissions, less those the role may not grant (a developer's "Full Access" has no admin ones).</summary>
    public static List<string> PresetFor(UserRole role, string preset) =>
        Permissions.Presets.TryGetValue(preset, out var all) ? all.Where(p => MayGrant(role, p)).ToList() : [];

    /// <summary>"user:ann@example.com" (the portal's actor) shows as the address; the API's and CLI's actors as they are.</summary>
    public static string ActorName(string actor) => actor.StartsWith("user:", StringComparison.Ordinal) ? actor[5..] : actor;
}
