namespace PenguinMails.Domains;

/// <summary>
/// One DNS record a domain should publish, and after a check what DNS answered. <c>Purpose</c>: <c>dkim</c>, <c>dkim_next</c>
/// (a rotation's new key), <c>spf</c>, <c>dmarc</c>, <c>return_path</c>. <c>Status</c>: <c>unchecked</c>, <c>found</c>,
/// <c>missing</c> (DNS answered: no such record), <c>mismatch</c> (a record is there, with another value) or
/// <c>dns_error</c> (a timeout or server failure: nothing is concluded). Only <c>Required</c> records decide verification.
/// </summary>
public sealed record DnsRecordCheck(string Purpose, string Type, string Host, string Expected, bool Required, string Status,
    IReadOnlyList<string> Found, string? Detail)
{
    public const string Unchecked = "unchecked";
    public const string FoundStatus = "found";
    public const string Missing = "missing";
    public const string Mismatch = "mismatch";
    public const string DnsError = "dns_error";
}

/// <summary>The records a domain should publish, from its keys and the operator's settings (<see cref="DomainOptions"/>).</summary>
public static class DomainRecords
{
    public static List<DnsRecordCheck> Expected(SendingDomain domain, DomainOptions options)
    {
        var records = new List<DnsRecordCheck>
        {
            Record("dkim", "TXT", $"{domain.DkimSelector}._domainkey.{domain.Name}", DkimKeys.RecordValue(domain.DkimPublicKey), true),
        };
        if (domain is { PendingSelector: { } next, PendingPublicKey: { } nextKey })
        {
            records.Add(Record("dkim_next", "TXT", $"{next}._domainkey.{domain.Name}", DkimKeys.RecordValue(nextKey), false));
        }

        if (SpfMechanism(options) is { } spf)
        {
            records.Add(Record("spf", "TXT", domain.Name, $"v=spf1 {spf} ~all", true));
        }

        records.Add(Record("dmarc", "TXT", $"_dmarc.{domain.Name}", "v=DMARC1; p=none;", false));
        if (!string.IsNullOrWhiteSpace(options.ReturnPathHost))
        {
            records.Add(Record("return_path", "CNAME", $"{options.ReturnPathLabel.Trim('.')}.{domain.Name}", options.ReturnPathHost.Trim().TrimEnd('.').ToLowerInvariant(), false));
        }

        return records;
    }

    /// <summary>The configured SPF mechanism; a bare host name means <c>include:</c> it.</summary>
    public static string? SpfMechanism(DomainOptions options)
    {
        var value = options.SpfInclude.Trim();
        return value.Length == 0 ? null
            : value.Contains(':', StringComparison.Ordinal) ? value : "include:" + value;
    }

    private static DnsRecordCheck Record(string purpose, string type, string host, string expected, bool required) =>
        new(purpose, type, host, expected, required, DnsRecordCheck.Unchecked, [], null);
}
