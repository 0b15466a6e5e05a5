using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.OpenApi;

namespace PenguinMails.Domains;

/// <summary>
/// /api/v1/domains (issue 13 "Sending domains"): add a domain and get the DNS records to publish, list, read, delete,
/// verify record by record, and rotate the DKIM key. Reads need domains:read, changes domains:write.
/// </summary>
public static class DomainsApi
{
    public static IEndpointRouteBuilder MapDomains(this IEndpointRouteBuilder app)
    {
        var domains = app.MapGroup("/api/v1/domains").WithTags("Sending domains");
        domains.MapGet("/", List).WithName("listDomains").RequirePermission(Permissions.DomainsRead)
            .WithSummary("List the account's sending domains with their DNS records");
        domains.MapPost("/", Add).WithName("addDomain").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.DomainsWrite)
            .WithSummary("Add a sending domain: answers the DNS records to publish (DKIM, SPF, DMARC, return path)");
        domains.MapGet("/{id}", Get).WithName("getDomain").RequirePermission(Permissions.DomainsRead)
            .WithSummary("Get a sending domain with its records and the last check's answers");
        domains.MapDelete("/{id}", Delete).WithName("deleteDomain").RequirePermission(Permissions.DomainsWrite)
            .WithSummary("Delete a sending domain (live keys can no longer send from it; its held mail is cancelled)");
        domains.MapPost("/{id}/verify", Verify).WithName("verifyDomain").RequirePermission(Permissions.DomainsWrite)
            .WithSummary("Look the domain's records up in DNS now and answer record by record");
        domains.MapPost("/{id}/dkim/rotate", Rotate).WithName("rotateDomainDkim").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.DomainsWrite)
            .WithSummary("Make a new DKIM key: publish its record, then verify; signing switches to it once DNS shows it");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<DomainView>>>, ApiError>> List(
        [AsParameters] DomainListQuery query, AppDb db, IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct)
    {
        if (Paging.Validate(query.Limit, query.Cursor, out var cursor) is { } invalid)
        {
            return invalid;
        }

        var limit = query.Limit ?? Paging.DefaultLimit;
        var rows = db.SendingDomains.AsNoTracking();
        if (cursor is { Value: { } after })
        {
            rows = rows.Where(d => d.Name.CompareTo(after) > 0 || (d.Name == after && d.Id.CompareTo(cursor.Id) > 0));
        }

        var page = await rows.OrderBy(d => d.Name).ThenBy(d => d.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = page.Count > limit;
        page = page.Take(limit).ToList();
        var next = hasMore ? new Cursor(page[^1].Name, page[^1].Id).Encode() : null;
        return ApiResults.Ok(http, page.Select(d => View(d, options)).ToList(), new PageInfo(limit, hasMore, next));
    }

    private static async Task<Results<Created<SuccessEnvelope<DomainView>>, ApiError>> Add(
        AddDomainRequest request, DomainRegistry registry, IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct)
    {
        var (domain, refusal) = await registry.AddAsync(request.Name, operatorManaged: false, ct);
        if (refusal is not null)
        {
            return refusal.Conflict ? ApiError.Conflict(refusal.Message) : ApiError.Validation("name", refusal.Message);
        }

        return ApiResults.Created(http, $"/api/v1/domains/{DomainIds.Format(domain!.Id)}", View(domain, options));
    }

    private static async Task<Results<Ok<SuccessEnvelope<DomainView>>, ApiError>> Get(
        string id, AppDb db, IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct) =>
        await FindAsync(db, id, ct) is { } domain ? ApiResults.Ok(http, View(domain, options)) : ApiError.NotFound("Domain");

    private static async Task<Results<Ok<SuccessEnvelope<DomainView>>, ApiError>> Delete(
        string id, AppDb db, DomainRegistry registry, DomainHolds holds, IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct) is not { } domain)
        {
            return ApiError.NotFound("Domain");
        }

        await registry.DeleteAsync(domain, holds, ct);
        return ApiResults.Ok(http, View(domain, options));
    }

    private static async Task<Results<Ok<SuccessEnvelope<DomainVerification>>, ApiError>> Verify(
        string id, AppDb db, DomainVerifier verifier, IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct, tracked: true) is not { } domain)
        {
            return ApiError.NotFound("Domain");
        }

        var checks = await verifier.VerifyAsync(domain, ct);
        return ApiResults.Ok(http, new DomainVerification(domain.Status == DomainStatus.Verified, DomainView.From(domain, checks)));
    }

    private static async Task<Results<Ok<SuccessEnvelope<DomainView>>, ApiError>> Rotate(
        string id, AppDb db, DomainRegistry registry, IOptions<PenguinMailsOptions> options, HttpContext http, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct, tracked: true) is not { } domain)
        {
            return ApiError.NotFound("Domain");
        }

        if (domain.PendingSelector is { } pending)
        {
            return ApiError.Conflict($"A new DKIM key ({pending}) is already waiting: publish its record, then verify the domain.");
        }

        await registry.RotateAsync(domain, ct);
        return ApiResults.Ok(http, View(domain, options));
    }

    public static DomainView View(SendingDomain domain, IOptions<PenguinMailsOptions> options) =>
        DomainView.From(domain, DomainVerifier.LastChecks(domain, options.Value.Domains));

    /// <summary>By <c>dom_…</c> id or by name; other tenants' domains are invisible (the query filter).</summary>
    public static Task<SendingDomain?> FindAsync(AppDb db, string id, CancellationToken ct, bool tracked = false)
    {
        var rows = tracked ? db.SendingDomains : db.SendingDomains.AsNoTracking();
        if (DomainIds.Parse(id) is { } guid)
        {
            return rows.FirstOrDefaultAsync(d => d.Id == guid, ct);
        }

        var name = DomainNames.Normalize(id, out _);
        return name is null ? Task.FromResult<SendingDomain?>(null) : rows.FirstOrDefaultAsync(d => d.Name == name, ct);
    }
}
