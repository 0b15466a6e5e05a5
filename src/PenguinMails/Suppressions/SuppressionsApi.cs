using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;

namespace PenguinMails.Suppressions;

/// <summary>
/// /api/v1/suppressions: addresses the tenant never sends to. Listing and reading need contacts:read, adding
/// contacts:write, removing contacts:delete (a suppression is a fact about a contact's address).
/// </summary>
public static class SuppressionsApi
{
    private const string Root = "/api/v1/suppressions";

    public static IEndpointRouteBuilder MapSuppressions(this IEndpointRouteBuilder app)
    {
        var suppressions = app.MapGroup(Root).WithTags("Suppressions");
        suppressions.MapGet("/", List).WithName("listSuppressions").RequirePermission(Permissions.ContactsRead).WithSummary("List suppressed addresses");
        suppressions.MapPost("/", Add).WithName("addSuppressions").RequirePermission(Permissions.ContactsWrite)
            .WithSummary("Suppress one address or several (idempotent: the first reason is kept)");
        suppressions.MapGet("/{email}", Get).WithName("getSuppression").RequirePermission(Permissions.ContactsRead).WithSummary("Get a suppressed address");
        suppressions.MapDelete("/{email}", Remove).WithName("removeSuppression").RequirePermission(Permissions.ContactsDelete).WithSummary("Remove an address from the list");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<SuppressionResponse>>>, ApiError>> List(
        [AsParameters] SuppressionListQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (query.Validate(out var cursor, out var reason) is { } invalid)
        {
            return invalid;
        }

        var (page, hasMore) = await query.RunAsync(db, cursor, reason, ct);
        var next = hasMore ? Cursor.At(page[^1].CreatedAt, page[^1].Id).Encode() : null;
        return ApiResults.Ok(http, page.Select(SuppressionResponse.From).ToList(), new PageInfo(query.Limit ?? Paging.DefaultLimit, hasMore, next));
    }

    private static async Task<Results<Created<SuccessEnvelope<AddedSuppression>>, Ok<SuccessEnvelope<AddedSuppression>>,
        Ok<SuccessEnvelope<AddedSuppressions>>, ApiError>> Add(
        AddSuppressionsRequest request, SuppressionList list, HttpContext http, CancellationToken ct)
    {
        var inputs = request.Email is not null ? [request.Email] : request.Emails ?? [];
        var field = request.Email is not null ? "email" : "emails";
        var addresses = new List<string>();
        var invalid = new List<ErrorDetail>();
        for (var i = 0; i < inputs.Count; i++)
        {
            if (SuppressionAddress.TryNormalize(inputs[i], out var address))
            {
                addresses.Add(address);
            }
            else
            {
                invalid.Add(new ErrorDetail(request.Email is not null ? field : $"{field}[{i}]", $"'{inputs[i]}' is not a valid email address."));
            }
        }

        if (invalid.Count > 0)
        {
            return new ApiError(ErrorCodes.ValidationError, null, invalid);
        }

        var reason = request.Reason ?? SuppressionReason.Manual;
        var results = new List<AddedSuppression>();
        // One result for each address given, in order: an address given twice (in any spelling) is added by its first
        // result and found already suppressed by its second, so results[i] always answers emails[i].
        foreach (var address in addresses)
        {
            var (row, added) = await list.AddOrKeepAsync(address, reason, "api", request.Note, ct);
            results.Add(AddedSuppression.From(row, added, reason));
        }

        if (request.Email is null)
        {
            return ApiResults.Ok(http, new AddedSuppressions(results.Count(r => !r.AlreadySuppressed), results.Count(r => r.AlreadySuppressed), results));
        }

        return results[0].AlreadySuppressed
            ? ApiResults.Ok(http, results[0])
            : ApiResults.Created(http, $"{Root}/{Uri.EscapeDataString(results[0].Suppression.Email)}", results[0]);
    }

    private static async Task<Results<Ok<SuccessEnvelope<SuppressionResponse>>, ApiError>> Get(
        string email, AppDb db, HttpContext http, CancellationToken ct)
    {
        var normalized = SuppressionAddress.Normalize(email);
        var row = await db.Suppressions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == normalized, ct);
        return row is null ? ApiError.NotFound("Suppression") : ApiResults.Ok(http, SuppressionResponse.From(row));
    }

    private static async Task<Results<Ok<SuccessEnvelope<SuppressionResponse>>, ApiError>> Remove(
        string email, AppDb db, SuppressionList list, HttpContext http, CancellationToken ct)
    {
        var normalized = SuppressionAddress.Normalize(email);
        var row = await db.Suppressions.AsNoTracking().FirstOrDefaultAsync(s => s.Email == normalized, ct);
        if (row is null || !await list.RemoveAsync(normalized, ct))
        {
            return ApiError.NotFound("Suppression");
        }

        return ApiResults.Ok(http, SuppressionResponse.From(row));
    }
}
