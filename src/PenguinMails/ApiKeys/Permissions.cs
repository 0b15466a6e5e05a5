namespace PenguinMails.ApiKeys;

/// <summary>The permissions a key can hold, as in the spec's permission matrix, and its presets.</summary>
public static class Permissions
{
    public const string CampaignsRead = "campaigns:read";
    public const string CampaignsWrite = "campaigns:write";
    public const string CampaignsDelete = "campaigns:delete";
    public const string ContactsRead = "contacts:read";
    public const string ContactsWrite = "contacts:write";
    public const string ContactsDelete = "contacts:delete";
    public const string AnalyticsRead = "analytics:read";
    public const string AnalyticsExport = "analytics:export";
    public const string EmailsSend = "emails:send";
    public const string EmailsSendBulk = "emails:send_bulk";
    public const string DomainsRead = "domains:read";
    public const string DomainsWrite = "domains:write";
    public const string WebhooksRead = "webhooks:read";
    public const string WebhooksWrite = "webhooks:write";
    public const string AdminFull = "admin:full";
    public const string AdminApiKeys = "admin:api_keys";
    public const string AdminBilling = "admin:billing";

    public static readonly IReadOnlyList<string> All =
    [
        CampaignsRead, CampaignsWrite, CampaignsDelete,
        ContactsRead, ContactsWrite, ContactsDelete,
        AnalyticsRead, AnalyticsExport,
        EmailsSend, EmailsSendBulk,
        DomainsRead, DomainsWrite,
        WebhooksRead, WebhooksWrite,
        AdminFull, AdminApiKeys, AdminBilling,
    ];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Presets =
        new Dictionary<string, IReadOnlyList<string>>
        {
            ["read_only"] = [CampaignsRead, ContactsRead, AnalyticsRead],
            ["full_access"] = All,
            ["email_sending"] = [EmailsSend, EmailsSendBulk],
        };

    public static bool IsKnown(string permission) => All.Contains(permission);

    /// <summary>admin:full stands for every permission.</summary>
    public static bool Grants(IReadOnlyCollection<string> held, string wanted) =>
        held.Contains(wanted) || held.Contains(AdminFull);

    public static bool GrantsAll(IReadOnlyCollection<string> held, IEnumerable<string> wanted) =>
        wanted.All(p => Grants(held, p));

    /// <summary>Distinct, known, in the canonical order of <see cref="All"/>.</summary>
    public static List<string> Normalize(IEnumerable<string> permissions)
    {
        var set = permissions.ToHashSet(StringComparer.Ordinal);
        return All.Where(set.Contains).ToList();
    }
}
