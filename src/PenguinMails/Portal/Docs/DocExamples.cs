using System.Text.Json.Nodes;

namespace PenguinMails.Portal.Docs;

/// <summary>
/// The example values of the docs page: the spec's own send example (api-access-routes.md "Try It Out"), a valid
/// smallest body for the writes people try first, and readable values by field name where the schema has none.
/// </summary>
internal static class DocExamples
{
    /// <summary>An id in the form the API answers (UUID v7).</summary>
    public const string Id = "01938f4e-7a2b-7c3d-9e4f-5a6b7c8d9e0f";

    /// <summary>A UUID v4, the form the SDKs generate; any string of 1 to 255 printable ASCII characters will do.</summary>
    public const string IdempotencyKey = "3f6c2a9e-8b1d-4e7a-9c5f-0d2b4a6e8f1c";

    private static readonly Dictionary<string, string> Bodies = new()
    {
        ["sendEmail"] = """{"to": "user@example.com", "subject": "Hello", "html_body": "<h1>Hello World</h1>"}""",
        ["sendEmailBatch"] = """{"emails": [{"to": "ann@example.com", "subject": "Hello Ann", "html_body": "<p>Hi Ann</p>"}, {"to": "bob@example.com", "subject": "Hello Bob", "html_body": "<p>Hi Bob</p>"}]}""",
        ["upsertContact"] = """{"email": "user@example.com", "first_name": "Alice", "last_name": "Smith", "tags": ["newsletter"]}""",
        ["updateContact"] = """{"first_name": "Alice", "add_tags": ["customer"]}""",
        ["importContacts"] = """[{"email": "ann@example.com", "first_name": "Ann", "tags": ["import"]}, {"email": "bob@example.com", "first_name": "Bob", "tags": ["import"]}]""",
        ["createCampaign"] = """{"name": "November newsletter", "subject": "What's new in November", "html_body": "<h1>Hello {{first_name}}</h1>", "audience": {"tags": ["newsletter"]}}""",
        ["updateCampaign"] = """{"subject": "What's new this month"}""",
        ["scheduleCampaign"] = """{"scheduled_at": "2026-12-01T09:00:00Z"}""",
        ["createTemplate"] = """{"slug": "welcome-v1", "name": "Welcome", "subject": "Welcome, {{name}}", "html_body": "<h1>Welcome, {{name}}</h1>"}""",
        ["updateTemplate"] = """{"subject": "Welcome aboard, {{name}}"}""",
        ["previewTemplate"] = """{"variables": {"name": "Alice"}}""",
        ["addSuppressions"] = """{"email": "user@example.com", "reason": "manual", "note": "Asked by phone not to be mailed"}""",
        ["addDomain"] = """{"name": "mail.example.com"}""",
        ["createWebhook"] = """{"url": "https://example.com/webhooks/penguinmails", "events": ["email.delivered", "email.bounced"]}""",
        ["updateWebhook"] = """{"enabled": false}""",
        ["createApiKey"] = """{"name": "Production App", "environment": "live", "preset": "email_sending", "expires_in_days": 90}""",
        ["updateApiKey"] = """{"name": "Production App (EU)"}""",
        ["replayFailedWebhookDeliveries"] = """{"from": "2026-11-29T00:00:00Z", "to": "2026-11-30T00:00:00Z"}""",
        ["sendCampaign"] = "null",
    };

    private static readonly Dictionary<string, JsonNode> Fields = new()
    {
        ["id"] = Id,
        ["to"] = "user@example.com",
        ["email"] = "user@example.com",
        ["subject"] = "Hello",
        ["html_body"] = "<h1>Hello World</h1>",
        ["text_body"] = "Hello World",
        ["first_name"] = "Alice",
        ["last_name"] = "Smith",
        ["request_id"] = "req_d5e36ed27f2cc3b525e9b66a",
        ["url"] = "https://example.com/webhooks/penguinmails",
        ["template_id"] = "welcome-v1",
        ["slug"] = "welcome-v1",
        ["next_cursor"] = "eyJ2IjoiMjAyNi0xMS0zMCIsImlkIjoiMDE5In0",
        ["key_id"] = "pm_live_7Qx2mV9aLk3Rz8",
        ["masked_key"] = "pm_live_7Qx...k2f",
    };

    /// <summary>The example body of an operation, when one is written out here.</summary>
    public static JsonNode? ForOperation(string operationId, out bool known)
    {
        known = Bodies.TryGetValue(operationId, out var json);
        return known ? JsonNode.Parse(json!) : null;
    }

    public static JsonNode? ForField(string name) => Fields.TryGetValue(name, out var value) ? value.DeepClone() : null;

    /// <summary>The example of a path or query parameter: an id, a template slug, an address.</summary>
    public static string ForParameter(string name) => name switch
    {
        "slug" => "welcome-v1",
        "email" => "user@example.com",
        "limit" => "10",
        _ => Id,
    };
}
