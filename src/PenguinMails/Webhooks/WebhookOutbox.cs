using System.Text.Json;
using System.Text.Json.Serialization;
using PenguinMails.Auth;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// Stages an event, and one pending delivery per endpoint that wants it, on the caller's context: they are written
/// by the caller's next SaveChanges, in its transaction (the outbox, docs/decisions/0010). When no enabled endpoint of
/// the tenant wants the type in that environment nothing is staged, so a tenant without webhooks writes no rows.
/// Changes made through the change tracker are staged by <see cref="WebhookOutboxInterceptor"/>; set-based writes
/// (ExecuteUpdate/ExecuteDelete) call <see cref="StageAsync"/> themselves.
/// </summary>
public sealed class WebhookOutbox(WebhookSubscriptions subscriptions, TimeProvider time, IHttpContextAccessor http, IServiceScopeFactory scopes)
{
    /// <summary>Snake_case, enums as snake_case strings, nulls written where a record does not say otherwise.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Live, or test when the current request was made with a <c>pm_test_</c> key.</summary>
    public WebhookEnvironment CallerEnvironment =>
        http.HttpContext?.User.FindFirst(ApiKeyPrincipal.KeyClaim)?.Value.StartsWith("pm_test_", StringComparison.Ordinal) == true
            ? WebhookEnvironment.Test : WebhookEnvironment.Live;

    /// <summary>The enabled endpoints of the context's tenant and what they want; none outside a tenant scope.</summary>
    public async Task<WebhookSubscriptions.Subscription[]> SubscriptionsAsync(AppDb db, CancellationToken ct) =>
        db.CurrentTenantId is { } tenant ? await subscriptions.GetAsync(db, tenant, ct) : [];

    /// <summary>Stages <paramref name="payload"/> as an event of its type; false when no endpoint wants it.</summary>
    public async Task<bool> StageAsync<TData>(AppDb db, WebhookPayload<TData> payload, WebhookEnvironment environment, string? email, CancellationToken ct) =>
        Stage(db, await SubscriptionsAsync(db, ct), payload, environment, email);

    /// <summary>
    /// For set-based writes (ExecuteUpdate/ExecuteDelete), which leave nothing in the change tracker: writes the event at
    /// once through a second context of the same tenant on <paramref name="db"/>'s connection and transaction, so that
    /// it commits (or rolls back) with the change and the caller's tracked changes are left alone.
    /// </summary>
    public async Task RecordNowAsync<TData>(AppDb db, WebhookPayload<TData> payload, WebhookEnvironment environment, string? email, CancellationToken ct)
    {
        var subscribed = await SubscriptionsAsync(db, ct);
        if (!subscribed.Any(s => s.Wants(payload.Type, environment)))
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Tenancy.TenantContext>().Enter(db.CurrentTenantId!.Value);
        var side = scope.ServiceProvider.GetRequiredService<AppDb>();
        side.Database.SetDbConnection(db.Database.GetDbConnection());
        if (db.Database.CurrentTransaction is { } transaction)
        {
            await side.Database.UseTransactionAsync(Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction), ct);
        }

        Stage(side, subscribed, payload, environment, email);
        await side.SaveChangesAsync(ct); // the interceptor wakes the dispatcher once committed
    }

    /// <summary>
    /// For email events written without the change tracker (<see cref="Emails.QueuedMessages"/>): stages the webhook
    /// event of each one some endpoint wants, from its message in <paramref name="messages"/>, on <paramref name="db"/>;
    /// the caller's next SaveChanges writes them in its transaction. False when none was staged.
    /// </summary>
    public async Task<bool> StageEmailEventsAsync(AppDb db, IEnumerable<Emails.EmailEvent> events, IEnumerable<Emails.EmailMessage> messages, CancellationToken ct)
    {
        var subscribed = await SubscriptionsAsync(db, ct);
        if (subscribed.Length == 0)
        {
            return false;
        }

        var facts = messages.ToDictionary(m => m.Id, m => new MessageFacts(m.Id, m.IsTest, m.From, m.Subject, m.Tags, m.CampaignId));
        var staged = false;
        foreach (var e in events)
        {
            if (WebhookEventTypes.Of(e.Type) is { } type && subscribed.Any(s => s.Events is null || s.Events.Contains(type))
                && facts.TryGetValue(e.MessageId, out var message))
            {
                staged |= Stage(db, subscribed, WebhookEvents.Email(e, message), message.IsTest ? WebhookEnvironment.Test : WebhookEnvironment.Live, e.Recipient);
            }
        }

        return staged;
    }

    /// <summary>The synchronous core, for callers that already hold the tenant's subscriptions.</summary>
    public bool Stage<TData>(AppDb db, WebhookSubscriptions.Subscription[] subscribed, WebhookPayload<TData> payload,
        WebhookEnvironment environment, string? email)
    {
        var endpoints = subscribed.Where(s => s.Wants(payload.Type, environment)).Select(s => s.EndpointId).ToList();
        if (endpoints.Count == 0 || db.CurrentTenantId is not { } tenant)
        {
            return false;
        }

        var now = Now;
        var row = new WebhookEvent
        {
            TenantId = tenant, Type = payload.Type, Environment = environment, CreatedAt = now,
            Payload = JsonSerializer.Serialize(payload, payload.GetType(), Json), Email = email?.Trim().ToLowerInvariant(),
        };
        db.Add(row);
        foreach (var endpoint in endpoints)
        {
            db.Add(new WebhookDelivery
            {
                TenantId = tenant, EndpointId = endpoint, EventId = row.Id, EventType = row.Type,
                CreatedAt = now, NextAttemptAt = now, Status = WebhookDeliveryStatus.Pending,
            });
        }

        return true;
    }
}
