namespace PenguinMails.Domains;

/// <summary>Decides <c>found</c> / <c>mismatch</c> / <c>missing</c> from the values DNS answered for one record's host.</summary>
internal static class DnsRecordMatch
{
    public static DnsRecordCheck Judge(DnsRecordCheck record, List<string> found)
    {
        var (status, detail) = record.Purpose switch
        {
            "dkim" or "dkim_next" => Dkim(record.Expected, found),
            "spf" => Spf(record.Expected, found),
            "dmarc" => Tagged(found, "v=DMARC1", "no DMARC policy is published (recommended: start with p=none)"),
            _ => Exact(record.Expected, found),
        };
        return record with { Status = status, Found = found, Detail = detail };
    }

    /// <summary>Found when a record's p= is the expected key (whitespace and tag order do not matter, RFC 6376 §3.6.1).</summary>
    private static (string, string?) Dkim(string expected, List<string> found)
    {
        var key = Tag(expected, "p");
        var keys = found.Where(f => f.Contains("p=", StringComparison.Ordinal)).ToList();
        return keys.Count == 0 ? (DnsRecordCheck.Missing, "no DKIM key is published at this name")
            : keys.Any(f => Tag(f, "p") == key) ? (DnsRecordCheck.FoundStatus, null)
            : (DnsRecordCheck.Mismatch, "a DKIM key is published here, but not this domain's: copy the value again");
    }

    /// <summary>RFC 7208 §4.5: exactly one v=spf1 record, which must hold the installation's mechanism.</summary>
    private static (string, string?) Spf(string expected, List<string> found)
    {
        var mechanism = expected.Split(' ')[1];
        var spf = found.Where(f => f.TrimStart().StartsWith("v=spf1", StringComparison.OrdinalIgnoreCase)).ToList();
        return spf.Count switch
        {
            0 => (DnsRecordCheck.Missing, "no SPF record (v=spf1) is published"),
            > 1 => (DnsRecordCheck.Mismatch, "more than one SPF record is published; merge them into one (RFC 7208 §3.2)"),
            _ when spf[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(t => t.TrimStart('+').Equals(mechanism, StringComparison.OrdinalIgnoreCase))
                => (DnsRecordCheck.FoundStatus, null),
            _ => (DnsRecordCheck.Mismatch, $"the SPF record does not contain {mechanism}; add it before the final ~all or -all"),
        };
    }

    private static (string, string?) Tagged(List<string> found, string prefix, string missing) =>
        found.Any(f => f.TrimStart().StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            ? (DnsRecordCheck.FoundStatus, null) : (DnsRecordCheck.Missing, missing);

    private static (string, string?) Exact(string expected, List<string> found) =>
        found.Count == 0 ? (DnsRecordCheck.Missing, null)
        : found.Contains(expected, StringComparer.OrdinalIgnoreCase) ? (DnsRecordCheck.FoundStatus, null)
        : (DnsRecordCheck.Mismatch, $"points to {found[0]}, not {expected}");

    private static string? Tag(string record, string name) =>
        record.Split(';').Select(t => t.Split('=', 2)).Where(t => t.Length == 2 && t[0].Trim() == name)
            .Select(t => string.Concat(t[1].Where(c => !char.IsWhiteSpace(c)))).FirstOrDefault();
}
