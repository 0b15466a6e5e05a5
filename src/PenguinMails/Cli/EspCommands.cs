using System.CommandLine;
using PenguinMails.Esp;

namespace PenguinMails.Cli;

/// <summary>
/// <c>tenants set-esp --tenant SLUG [--transport smtp|postmark|mailgun] [--postmark-message-stream S] [--mailgun-domain D]
/// [--mailgun-region us|eu]</c>: the tenant's delivery transport, through <see cref="EspSettingsEditor"/> as the API's PUT.
/// Secrets come from the environment (<c>PENGUINMAILS_POSTMARK_SERVER_TOKEN</c>, <c>PENGUINMAILS_MAILGUN_API_KEY</c>,
/// <c>PENGUINMAILS_MAILGUN_SIGNING_KEY</c>), never from arguments, which shell history and process lists show. Prints the
/// settings in force, secrets as their last four characters, and the inbound webhook URLs (to stderr, like the other
/// tenant commands: the Postmark URL is a credential).
/// </summary>
internal static class EspCommands
{
    public static Command SetEsp()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var transport = new Option<string>("--transport") { Description = "smtp (the server's relay), postmark or mailgun; default: unchanged" };
        var stream = new Option<string>("--postmark-message-stream") { Description = "Postmark message stream (default outbound)" };
        var domain = new Option<string>("--mailgun-domain") { Description = "The Mailgun sending domain, e.g. mg.example.com" };
        var region = new Option<string>("--mailgun-region") { Description = "us or eu" };
        var command = new Command("set-esp",
            "Set a tenant's delivery transport and ESP settings; secrets from PENGUINMAILS_POSTMARK_SERVER_TOKEN, PENGUINMAILS_MAILGUN_API_KEY, PENGUINMAILS_MAILGUN_SIGNING_KEY.")
        {
            tenantOption, transport, stream, domain, region,
        };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var tenant = await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var editor = services.GetRequiredService<EspSettingsEditor>();
            var current = await editor.GetAsync(token);
            string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
            var request = new EspSettingsRequest
            {
                Transport = parse.GetValue(transport) ?? current.Transport,
                Postmark = new PostmarkSettingsRequest { ServerToken = Env("PENGUINMAILS_POSTMARK_SERVER_TOKEN"), MessageStream = parse.GetValue(stream) },
                Mailgun = new MailgunSettingsRequest
                {
                    ApiKey = Env("PENGUINMAILS_MAILGUN_API_KEY"), Domain = parse.GetValue(domain), Region = parse.GetValue(region),
                    WebhookSigningKey = Env("PENGUINMAILS_MAILGUN_SIGNING_KEY"),
                },
            };
            var (saved, errors) = await editor.SaveAsync(request, new Users.ChangeActor("cli", null), token);
            if (saved is null)
            {
                throw new CliException(string.Join(" ", errors.Select(e => e.Message)));
            }

            var postmark = saved.Postmark;
            var mailgun = saved.Mailgun;
            await Console.Error.WriteLineAsync($"""
                {tenant.Slug}: transport = {saved.Transport}
                  postmark: server token {Shown(postmark.ServerTokenLast4)}, message stream {postmark.MessageStream}
                  postmark webhook URL: {postmark.WebhookUrl}
                  mailgun: API key {Shown(mailgun.ApiKeyLast4)}, domain {mailgun.Domain ?? "not set"}, region {mailgun.Region}, signing key {Shown(mailgun.WebhookSigningKeyLast4)}
                  mailgun webhook URL: {mailgun.WebhookUrl}
                """);
            return 0;
        }, ct));
        return command;
    }

    private static string Shown(string? last4) => last4 is null ? "not set" : $"set, ending in …{last4}";
}
