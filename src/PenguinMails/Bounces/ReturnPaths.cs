using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;
using PenguinMails.Domains;

namespace PenguinMails.Bounces;

/// <summary>What the headers of a mail said about our return path.</summary>
public enum ReturnPathMatch
{
    /// <summary>No <c>bounces+…@</c> address at all.</summary>
    None,

    /// <summary>One or more, none of them signed by this installation: forged, or another installation's.</summary>
    Forged,

    Found,
}

/// <summary>
/// The envelope sender (MAIL FROM, which the receiving side writes into Return-Path) of each recipient's delivery:
/// <c>bounces+&lt;token&gt;@&lt;domain&gt;</c>, the token from <see cref="VerpTokens"/>. The domain is the sender
/// domain's own return-path host (<c>pm-bounces.&lt;domain&gt;</c>) when the operator set
/// <see cref="DomainOptions.ReturnPathHost"/> and that domain's last check found its CNAME (or the operator manages its
/// DNS), else the installation's <see cref="BounceOptions.Domain"/>; null = no return path of ours (the From address).
/// </summary>
public sealed partial class ReturnPaths(VerpTokens tokens, IOptions<PenguinMailsOptions> options)
{
    public string? DomainFor(SendingDomain? senderDomain)
    {
        var o = options.Value;
        if (senderDomain is { Status: DomainStatus.Verified } d && !string.IsNullOrWhiteSpace(o.Domains.ReturnPathHost)
            && (d.OperatorManaged || ReturnPathFound(d)))
        {
            return $"{o.Domains.ReturnPathLabel.Trim('.')}.{d.Name}";
        }

        return string.IsNullOrWhiteSpace(o.Bounces.Domain) ? null : o.Bounces.Domain.Trim().TrimEnd('.').ToLowerInvariant();
    }

    public MailboxAddress For(Guid messageId, string recipientEmail, string domain) =>
        new((string?)null, $"{options.Value.Bounces.LocalPart}+{tokens.Create(messageId, recipientEmail)}@{domain}");

    /// <summary>The first of our signed tokens among <paramref name="texts"/> (header values, addresses).</summary>
    public (ReturnPathMatch Match, VerpToken? Token) Find(IEnumerable<string?> texts)
    {
        var match = ReturnPathMatch.None;
        var prefix = options.Value.Bounces.LocalPart;
        foreach (var text in texts)
        {
            foreach (Match m in Candidate().Matches(text ?? ""))
            {
                if (!string.Equals(m.Groups[1].Value, prefix, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (tokens.Read(m.Groups[2].Value) is { } token)
                {
                    return (ReturnPathMatch.Found, token);
                }

                match = ReturnPathMatch.Forged;
            }
        }

        return (match, null);
    }

    private static bool ReturnPathFound(SendingDomain domain)
    {
        try
        {
            return domain.LastCheckJson is { } json && (JsonSerializer.Deserialize<List<DnsRecordCheck>>(json) ?? [])
                .Any(c => c.Purpose == "return_path" && c.Status == DnsRecordCheck.FoundStatus);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"([A-Za-z0-9._-]+)\+([A-Za-z0-9]{1,100})@", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();
}
