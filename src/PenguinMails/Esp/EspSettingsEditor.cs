using System.Text.RegularExpressions;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Portal;
using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Esp;

/// <summary>
/// Reads and changes the current tenant's delivery settings, for the API and the portal alike: validation (each fault
/// named by its field), encryption of the secrets (<see cref="EspSecrets"/>), an audit-log entry naming what changed
/// (never a secret) in the same save, and the node's cache refreshed so the next message takes the new transport.
/// The row is created on first read, with its inbound token and Postmark webhook credentials, so that the webhook
/// URLs can be shown before anything is chosen.
/// </summary>
public sealed partial class EspSettingsEditor(AppDb db, TenantContext tenant, EspSecrets secrets, EspConfigCache cache,
    PublicBaseUrl baseUrl, TimeProvider time)
{
    public async Task<EspSettingsResponse> GetAsync(CancellationToken ct) => View(await EnsureAsync(ct));

    /// <summary>Applies <paramref name="request"/>; the errors, when it is not valid (nothing is saved then).</summary>
    public async Task<(EspSettingsResponse? Saved, List<ErrorDetail> Errors)> SaveAsync(EspSettingsRequest request, ChangeActor by, CancellationToken ct)
    {
        var row = await EnsureAsync(ct);
        var errors = Validate(request, row);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var changes = new List<string>();
        void Set<T>(string name, T current, T? wanted, Action<T> apply, bool secret = false)
        {
            if (wanted is not null && !Equals(current, wanted))
            {
                apply(wanted);
                changes.Add(secret ? $"{name} replaced" : $"{name} = {wanted}");
            }
        }

        Set("transport", row.Transport, request.Transport!, v => row.Transport = v);
        if (request.Postmark is { } postmark)
        {
            Set<string>("postmark.server_token", "", postmark.ServerToken, v => (row.PostmarkServerToken, row.PostmarkServerTokenLast4) =
                (secrets.Protect(v), EspSecrets.Last4(v)), secret: true);
            Set("postmark.message_stream", row.PostmarkMessageStream, postmark.MessageStream, v => row.PostmarkMessageStream = v);
        }

        if (request.Mailgun is { } mailgun)
        {
            Set<string>("mailgun.api_key", "", mailgun.ApiKey, v => (row.MailgunApiKey, row.MailgunApiKeyLast4) = (secrets.Protect(v), EspSecrets.Last4(v)), secret: true);
            // As a sending domain is read (Domains/DomainNames): mg.bücher.example and MG.Example.com. are names Mailgun knows
            // as mg.xn--bcher-kva.example and mg.example.com, the forms its API path takes.
            Set("mailgun.domain", row.MailgunDomain, mailgun.Domain is null ? null : Domains.DomainNames.Normalize(mailgun.Domain, out _), v => row.MailgunDomain = v);
            Set("mailgun.region", row.MailgunRegion, mailgun.Region, v => row.MailgunRegion = v);
            Set<string>("mailgun.webhook_signing_key", "", mailgun.WebhookSigningKey,
                v => (row.MailgunSigningKey, row.MailgunSigningKeyLast4) = (secrets.Protect(v), EspSecrets.Last4(v)), secret: true);
        }

        if (changes.Count > 0)
        {
            row.UpdatedAt = time.GetUtcNow().UtcDateTime;
            db.SecurityEvents.Add(SecurityEvent.Of(SecurityEventTypes.EspSettingsChanged, by, row.UpdatedAt, string.Join("; ", changes)));
            await db.SaveChangesAsync(ct);
            cache.Invalidate(row.TenantId);
        }

        return (View(row), []);
    }

    private static List<ErrorDetail> Validate(EspSettingsRequest request, EspSettings row)
    {
        var errors = new List<ErrorDetail>();
        void Check(string field, string? value, Regex rule, string what)
        {
            if (value is not null && !rule.IsMatch(value))
            {
                errors.Add(new ErrorDetail(field, $"{field} must be {what}."));
            }
        }

        if (request.Transport is null)
        {
            errors.Add(new ErrorDetail("transport", "transport is required: smtp, postmark or mailgun."));
        }
        else
        {
            QueryChoices.Check(request.Transport, "transport", EspTransports.All, errors); // exactly as the API writes it
        }

        Check("postmark.server_token", request.Postmark?.ServerToken, Secret(), "1 to 200 printable characters without spaces");
        Check("postmark.message_stream", request.Postmark?.MessageStream, Stream(), "1 to 100 lower-case letters, digits, '-' or '_'");
        Check("mailgun.api_key", request.Mailgun?.ApiKey, Secret(), "1 to 200 printable characters without spaces");
        if (request.Mailgun?.Domain is { } domain && Domains.DomainNames.Normalize(domain, out _) is null)
        {
            errors.Add(new ErrorDetail("mailgun.domain", "mailgun.domain must be a domain name such as mg.example.com."));
        }

        QueryChoices.Check(request.Mailgun?.Region, "mailgun.region", MailgunRegions, errors);
        Check("mailgun.webhook_signing_key", request.Mailgun?.WebhookSigningKey, Secret(), "1 to 200 printable characters without spaces");
        if (errors.Count > 0)
        {
            return errors;
        }

        switch (request.Transport!)
        {
            case EspTransports.Postmark when request.Postmark?.ServerToken is null && row.PostmarkServerToken is null:
                errors.Add(new ErrorDetail("postmark.server_token", "postmark.server_token is required to deliver through Postmark."));
                break;
            case EspTransports.Mailgun:
                if (request.Mailgun?.ApiKey is null && row.MailgunApiKey is null)
                {
                    errors.Add(new ErrorDetail("mailgun.api_key", "mailgun.api_key is required to deliver through Mailgun."));
                }

                if (request.Mailgun?.Domain is null && row.MailgunDomain is null)
                {
                    errors.Add(new ErrorDetail("mailgun.domain", "mailgun.domain is required to deliver through Mailgun."));
                }

                break;
        }

        return errors;
    }

    private async Task<EspSettings> EnsureAsync(CancellationToken ct)
    {
        if (await db.EspSettings.FirstOrDefaultAsync(ct) is { } row)
        {
            return row;
        }

        var created = new EspSettings
        {
            TenantId = tenant.TenantId ?? throw new InvalidOperationException("ESP settings were read outside a tenant scope."),
            InboundToken = EspSecrets.Random(32), PostmarkWebhookUser = "pm-" + EspSecrets.Random(6),
            PostmarkWebhookPassword = secrets.Protect(EspSecrets.Random(24)),
        };
        db.EspSettings.Add(created);
        try
        {
            await db.SaveChangesAsync(ct);
            return created;
        }
        catch (DbUpdateException e) when (DbErrors.IsConflict(e))
        {
            // Created meanwhile by another request: that one stands.
            db.ChangeTracker.Clear();
            return await db.EspSettings.FirstAsync(ct);
        }
    }

    private EspSettingsResponse View(EspSettings row)
    {
        var postmark = new UriBuilder($"{baseUrl.Value}{EspWebhooksApi.Root}/postmark/{row.InboundToken}")
        {
            UserName = row.PostmarkWebhookUser, Password = secrets.Unprotect(row.PostmarkWebhookPassword),
        };
        return new EspSettingsResponse(row.Transport,
            new PostmarkSettingsView(row.PostmarkServerTokenLast4, row.PostmarkMessageStream, postmark.Uri.AbsoluteUri),
            new MailgunSettingsView(row.MailgunApiKeyLast4, row.MailgunDomain, row.MailgunRegion, row.MailgunSigningKeyLast4,
                $"{baseUrl.Value}{EspWebhooksApi.Root}/mailgun/{row.InboundToken}"),
            row.UpdatedAt == default ? null : row.UpdatedAt);
    }

    [GeneratedRegex(@"^[\x21-\x7e]{1,200}$")]
    private static partial Regex Secret();

    [GeneratedRegex(@"^[a-z0-9_-]{1,100}$")]
    private static partial Regex Stream();

    /// <summary>Where a Mailgun domain lives: its API is api.mailgun.net or api.eu.mailgun.net.</summary>
    private static readonly string[] MailgunRegions = ["us", "eu"];
}
