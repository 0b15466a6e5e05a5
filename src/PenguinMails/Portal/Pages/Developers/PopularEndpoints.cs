using PenguinMails.ApiKeys;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// One of the spec's "Popular Endpoints" cards: the request line, what it does, the key permission it needs, and
/// <c>OperationId</c>, its page in the docs (<c>/dashboard/settings/developers/docs/endpoints/{operationId}</c>).
/// </summary>
public sealed record PopularEndpoint(string Title, string Method, string Path, string Does, string Permission, string OperationId);

/// <summary>
/// The spec's three (api-access-routes.md §4, "API Documentation Quick Access"), at their canonical /api/v1 paths
/// (DECISIONS.md "URLs"; the spec's /v1 form is served too). Permissions are those the endpoints are mapped with.
/// </summary>
public static class PopularEndpoints
{
    public static readonly IReadOnlyList<PopularEndpoint> All =
    [
        new("Send Email", "POST", "/api/v1/emails/send",
            "Sends one email: answered once it is stored, delivered in the background.", Permissions.EmailsSend, "sendEmail"),
        new("Manage Contacts", "POST", "/api/v1/contacts",
            "Adds a contact, or updates the one with the same email address.", Permissions.ContactsWrite, "upsertContact"),
        new("Get Analytics", "GET", "/api/v1/analytics/campaigns/{id}",
            "A campaign's figures: recipients, sent, delivered, opens, clicks, bounces and their rates.", Permissions.AnalyticsRead,
            "getCampaignAnalytics"),
    ];
}
