using Microsoft.Extensions.Options;
using PenguinMails.Alerts;

namespace PenguinMails.Domains;

/// <summary>
/// Tells the tenant's admins that a sending domain failed, through the alerts' outbox (installation mail, once per
/// failure: the occurrence is the domain and the time its records went missing).
/// </summary>
public sealed class DomainFailureAlert(AlertOutbox outbox, AlertRecipients recipients, IOptions<PenguinMailsOptions> options)
{
    public const string Kind = "domain_failed";

    public async Task SendOnceAsync(SendingDomain domain, IReadOnlyList<DnsRecordCheck> checks, CancellationToken ct)
    {
        var period = domain.AbsentSince ?? domain.FailedAt ?? domain.CreatedAt;
        var to = await recipients.AdminsAsync(ct);
        if (to.Count == 0)
        {
            return;
        }

        var url = (string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? ServerApp.DefaultUrl : options.Value.PublicUrl).TrimEnd('/')
            + "/dashboard/settings/domains";
        var missing = checks.Where(c => c.Required && c.Status != DnsRecordCheck.FoundStatus)
            .Select(c => $"- {c.Type} {c.Host}: {c.Status.Replace('_', ' ')} (expected: {c.Expected})").ToList();
        var text = $"""
            The sending domain {domain.Name} has stopped passing verification: its DNS records have been missing since {period:yyyy-MM-dd HH:mm} UTC.

            Mail from {domain.Name} is held, not lost: it stays queued and goes out once the domain verifies again. New sends from it are refused until then.

            What DNS is missing:
            {string.Join("\n", missing)}

            Publish the records again, then press Verify on {url}
            """;
        var html = "<p>" + System.Net.WebUtility.HtmlEncode(text).Replace("\n\n", "</p><p>").Replace("\n", "<br>") + "</p>";
        var occurrence = outbox.Occurrence(Kind, domain.Id.ToString(), period, domain.FailedAt ?? period);
        await outbox.SendOnceAsync(occurrence, to, new AlertMail($"Sending domain {domain.Name} failed verification: its mail is held", text, html), ct);
    }
}
