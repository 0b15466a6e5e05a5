using System.Text.Json;
using PenguinMails.Data;
using PenguinMails.Delivery;
using PenguinMails.Http;

namespace PenguinMails.Webhooks;

/// <summary>
/// The current tenant's endpoints: list, read, create, change, rotate the secret, delete. Used by the API and the
/// portal alike. A URL is checked against <see cref="WebhookAddressPolicy"/> when saved; every change evicts the
/// tenant's cached subscriptions here and, through updated_at, on the other nodes.
/// </summary>
public sealed class WebhookEndpoints(AppDb db, WriteGate gate, WebhookSecrets secrets, WebhookAddressPolicy policy,
    WebhookSubscriptions subscriptions, TimeProvider time)
{
    public static readonly TimeSpan PreviousSecretGrace = TimeSpan.FromHours(24);

    /// <summary>
    /// What the API shows for every custom header's value: the values are stored encrypted as secrets (they often carry
    /// credentials) and, like the signing secret, are not shown again after they are saved — not even to a key with
    /// <c>webhooks:read</c>. Sent back as a value in an update, it keeps that header's stored value, so that an endpoint
    /// read and written back whole loses nothing (GitHub's webhook <c>secret</c> is shown and kept the same way).
    /// </summary>
    public const string HiddenHeaderValue = "********";

    /// <summary>A refusal of the request, to be answered as it is.</summary>
    public sealed class RefusedException(ApiError error) : Exception(error.Message)
    {
        public ApiError Error { get; } = error;
    }

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<(List<WebhookEndpoint> Page, bool HasMore)> ListAsync(int limit, Cursor? after, CancellationToken ct)
    {
        var rows = db.Set<WebhookEndpoint>().AsNoTracking().Where(e => e.DeletedAt == null);
        if (after is { Time: { } at })
        {
            rows = rows.Where(e => e.CreatedAt > at || (e.CreatedAt == at && e.Id.CompareTo(after.Id) > 0));
        }

        var page = await rows.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        return (page.Take(limit).ToList(), page.Count > limit);
    }

    public Task<WebhookEndpoint?> FindAsync(Guid id, CancellationToken ct) =>
        db.Set<WebhookEndpoint>().FirstOrDefaultAsync(e => e.Id == id && e.DeletedAt == null, ct);

    /// <summary>Creates the endpoint; returns it with its secret, which is never shown again.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(CreateWebhookRequest request, CancellationToken ct)
    {
        await CheckUrlAsync(request.Url, ct);
        var secret = WebhookSecrets.NewSecret();
        var now = Now;
        var endpoint = new WebhookEndpoint
        {
            Url = request.Url.Trim(), Description = OptionalText.OrNull(request.Description), Events = Normalize(request.Events),
            Environment = request.Environment == "test" ? WebhookEnvironment.Test : WebhookEnvironment.Live,
            Enabled = request.Enabled ?? true, ProtectedHeaders = ProtectHeaders(WithStoredValues(request.Headers, [])),
            ProtectedSecret = secrets.Protect(secret), CreatedAt = now, UpdatedAt = now,
        };
        db.Add(endpoint);
        await SaveAsync(ct);
        return (endpoint, secret);
    }

    public async Task UpdateAsync(WebhookEndpoint endpoint, UpdateWebhookRequest request, CancellationToken ct)
    {
        if (request.Url is { } url && url.Trim() != endpoint.Url)
        {
            await CheckUrlAsync(url, ct);
            endpoint.Url = url.Trim();
        }

        endpoint.Description = request.Description is null ? endpoint.Description : OptionalText.OrNull(request.Description);
        endpoint.Events = request.Events is null ? endpoint.Events : Normalize(request.Events);
        endpoint.Environment = request.Environment switch
        {
            "test" => WebhookEnvironment.Test,
            "live" => WebhookEnvironment.Live,
            _ => endpoint.Environment,
        };
        if (request.Enabled is { } enabled && enabled != endpoint.Enabled)
        {
            (endpoint.Enabled, endpoint.DisabledReason, endpoint.FailingSince) = (enabled, null, null);
        }

        endpoint.ProtectedHeaders = request.Headers is null ? endpoint.ProtectedHeaders : ProtectHeaders(WithStoredValues(request.Headers, HeadersOf(endpoint)));
        endpoint.UpdatedAt = Now;
        await SaveAsync(ct);
    }

    /// <summary>A new secret now; the old one goes on signing (a second signature) for 24 hours.</summary>
    public async Task<string> RotateSecretAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        var secret = WebhookSecrets.NewSecret();
        var now = Now;
        (endpoint.ProtectedPreviousSecret, endpoint.PreviousSecretUntil) = (endpoint.ProtectedSecret, now + PreviousSecretGrace);
        (endpoint.ProtectedSecret, endpoint.UpdatedAt) = (secrets.Protect(secret), now);
        await SaveAsync(ct);
        return secret;
    }

    /// <summary>Stops all deliveries to it; its log stays readable by delivery id until pruned.</summary>
    public async Task DeleteAsync(WebhookEndpoint endpoint, CancellationToken ct)
    {
        var now = Now;
        (endpoint.DeletedAt, endpoint.Enabled, endpoint.UpdatedAt) = (now, false, now);
        endpoint.ProtectedSecret = secrets.Protect("deleted");
        (endpoint.ProtectedPreviousSecret, endpoint.ProtectedHeaders) = (null, null);
        await SaveAsync(ct);
    }

    public WebhookResponse Response(WebhookEndpoint e) => new(e.Id, e.Url, e.Description, e.Events.Count == 0 ? ["*"] : e.Events,
        e.Environment.ToString().ToLowerInvariant(), e.Enabled, e.DisabledReason, HeadersOf(e).ToDictionary(h => h.Key, _ => HiddenHeaderValue),
        e.PreviousSecretUntil > Now ? e.PreviousSecretUntil : null, e.FailingSince, e.CreatedAt, e.UpdatedAt);

    /// <summary>The endpoint's custom headers with their values, for sending and for the portal's sudo-guarded edit form only.</summary>
    public Dictionary<string, string> HeadersOf(WebhookEndpoint e) =>
        secrets.UnprotectHeaders(e.ProtectedHeaders) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];

    private async Task CheckUrlAsync(string url, CancellationToken ct)
    {
        if (await policy.CheckAsync(url.Trim(), ct) is { } problem)
        {
            throw new RefusedException(new ApiError(ErrorCodes.WebhookUrlNotAllowed, null, [new ErrorDetail("url", problem)]));
        }
    }

    /// <summary>
    /// <paramref name="headers"/> with each <see cref="HiddenHeaderValue"/> replaced by the stored value of the same header
    /// (names compared without case, RFC 9110 section 5.1); refused (400 <c>VALIDATION_ERROR</c> on <c>headers.Name</c>) for a
    /// header that has no stored value, since sending the placeholder itself is never what was meant.
    /// </summary>
    private static Dictionary<string, string>? WithStoredValues(Dictionary<string, string>? headers, Dictionary<string, string> stored)
    {
        if (headers is null)
        {
            return null;
        }

        var storedByName = new Dictionary<string, string>(stored, StringComparer.OrdinalIgnoreCase);
        var result = new Dictionary<string, string>(headers.Count);
        foreach (var (name, value) in headers)
        {
            if (value != HiddenHeaderValue)
            {
                result[name] = value;
            }
            else if (storedByName.TryGetValue(name, out var kept))
            {
                result[name] = kept;
            }
            else
            {
                throw new RefusedException(new ApiError(ErrorCodes.ValidationError, null, [new ErrorDetail($"headers.{name}",
                    $"'{HiddenHeaderValue}' stands for a stored value, and this endpoint has no header '{name}' to keep; send the value itself.")]));
            }
        }

        return result;
    }

    private string? ProtectHeaders(Dictionary<string, string>? headers) =>
        headers is null || headers.Count == 0 ? null : secrets.ProtectHeaders(JsonSerializer.Serialize(headers));

    /// <summary>
    /// All types (null, or a list with <c>*</c>) is stored as an empty list; otherwise distinct, in the order of
    /// <see cref="WebhookEventTypes.All"/>. A list naming no known type is never stored, as it would then mean all: the API
    /// (<see cref="CreateWebhookRequest.EmptyEvents"/>) and the portal (Portal/Webhooks/WebhookDraft) refuse it first.
    /// </summary>
    /// <exception cref="ArgumentException">The list names no known event type.</exception>
    private static List<string> Normalize(List<string>? events)
    {
        if (events is null || events.Contains("*"))
        {
            return [];
        }

        var known = WebhookEventTypes.All.Where(events.Contains).ToList();
        return known.Count > 0 ? known : throw new ArgumentException("No known event type: stored, the list would mean every type.", nameof(events));
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        using (await gate.EnterAsync(db, ct))
        {
            await db.SaveChangesAsync(ct);
        }

        if (db.CurrentTenantId is { } tenant)
        {
            subscriptions.Evict(tenant);
        }
    }
}
