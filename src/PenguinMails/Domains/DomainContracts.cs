namespace PenguinMails.Domains;

/// <summary>POST /api/v1/domains: <c>{"name": "mail.example.com"}</c> (Unicode names are stored in their IDNA ASCII form).</summary>
public sealed record AddDomainRequest
{
    public string? Name { get; init; }
}

/// <summary>
/// A DNS record to publish and, once checked, what DNS answered (<see cref="DnsRecordCheck"/>): <c>value</c> is what to
/// publish at <c>host</c>; <c>found</c> the values DNS returned there; <c>status</c> unchecked, found, missing, mismatch or dns_error.
/// </summary>
public sealed record DomainRecordView(string Purpose, string Type, string Host, string Value, bool Required, string Status,
    IReadOnlyList<string> Found, string? Detail)
{
    public static DomainRecordView From(DnsRecordCheck c) => new(c.Purpose, c.Type, c.Host, c.Expected, c.Required, c.Status, c.Found, c.Detail);
}

/// <summary>
/// A sending domain: <c>status</c> pending (records not yet found), verified (usable as a sender) or failed (records gone
/// for 72 hours: its mail is held). Times are RFC 3339 UTC. <c>dkim_selector</c> is the key that signs now;
/// <c>dkim_next_selector</c> a rotation's key waiting to be found in DNS.
/// </summary>
public sealed record DomainView(
    string Id, string Name, string Status, bool OperatorManaged, string DkimSelector, string? DkimNextSelector,
    DateTime CreatedAt, DateTime? VerifiedAt, DateTime? LastCheckedAt, DateTime? RecordsMissingSince, DateTime? FailedAt,
    IReadOnlyList<DomainRecordView> Records)
{
    public static DomainView From(SendingDomain d, IEnumerable<DnsRecordCheck> records) => new(
        DomainIds.Format(d.Id), d.Name, d.Status.ToString().ToLowerInvariant(), d.OperatorManaged, d.DkimSelector, d.PendingSelector,
        d.CreatedAt, d.VerifiedAt, d.LastCheckedAt, d.AbsentSince, d.FailedAt, records.Select(DomainRecordView.From).ToList());
}

/// <summary>POST /api/v1/domains/{id}/verify: the domain after the check, and whether every required record was found.</summary>
public sealed record DomainVerification(bool Verified, DomainView Domain);

/// <summary>GET /api/v1/domains: <c>limit</c> 1–100 (default 20) and the <c>cursor</c> of the previous page; sorted by name.</summary>
public sealed record DomainListQuery(int? Limit, string? Cursor);
