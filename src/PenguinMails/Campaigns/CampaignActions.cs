using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Emails;
using PenguinMails.Http;
using PenguinMails.Http.Idempotency;
using PenguinMails.OpenApi;

namespace PenguinMails.Campaigns;

/// <summary>
/// Send now, schedule, pause, resume, cancel. Each is one conditional update of the campaign's status (so two
/// racing requests cannot both succeed), together with what it means for the campaign's queued messages: pause
/// holds them (the dispatcher claims only queued and deferred messages), resume releases them, cancel cancels them.
/// </summary>
public static class CampaignActions
{
    public static RouteGroupBuilder MapCampaignActions(this RouteGroupBuilder campaigns)
    {
        campaigns.MapPost("/{id}/send", Send).WithName("sendCampaign").ProducesErrors(ErrorCodes.ResourceConflict, ErrorCodes.TemplateNotFound, ErrorCodes.SenderDomainNotVerified).RequirePermission(Permissions.CampaignsWrite).WithIdempotency()
            .WithSummary("Send now, or at scheduled_at when the body gives one");
        campaigns.MapPost("/{id}/schedule", Schedule).WithName("scheduleCampaign").ProducesErrors(ErrorCodes.ResourceConflict, ErrorCodes.TemplateNotFound, ErrorCodes.SenderDomainNotVerified).RequirePermission(Permissions.CampaignsWrite).WithIdempotency()
            .WithSummary("Schedule (or reschedule) the campaign for scheduled_at");
        campaigns.MapPost("/{id}/pause", Pause).WithName("pauseCampaign").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.CampaignsWrite).WithIdempotency()
            .WithSummary("Pause a sending campaign: the fan-out stops and its queued messages are held");
        campaigns.MapPost("/{id}/resume", Resume).WithName("resumeCampaign").ProducesErrors(ErrorCodes.ResourceConflict, ErrorCodes.TemplateNotFound).RequirePermission(Permissions.CampaignsWrite).WithIdempotency()
            .WithSummary("Resume a paused campaign");
        campaigns.MapPost("/{id}/cancel", Cancel).WithName("cancelCampaign").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.CampaignsWrite).WithIdempotency()
            .WithSummary("Cancel: no more messages are queued and queued ones are cancelled");
        return campaigns;
    }

    private static Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Send(
        string id, ScheduleCampaignRequest? request, CampaignTransitions transitions, HttpContext http, CancellationToken ct) =>
        request?.ScheduledAt is { } at
            ? transitions.ScheduleAsync(id, at, EmailsApi.IsTestKey(http.User), http, ct)
            : transitions.SendNowAsync(id, EmailsApi.IsTestKey(http.User), http, ct);

    private static Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Schedule(
        string id, ScheduleCampaignRequest request, CampaignTransitions transitions, HttpContext http, CancellationToken ct) =>
        request.ScheduledAt is { } at
            ? transitions.ScheduleAsync(id, at, EmailsApi.IsTestKey(http.User), http, ct)
            : Task.FromResult<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>>(
                new ApiError(ErrorCodes.MissingRequiredField, null, [new ErrorDetail("scheduled_at", "scheduled_at is required.")]));

    private static Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Pause(
        string id, CampaignTransitions transitions, HttpContext http, CancellationToken ct) =>
        transitions.ChangeAsync(id, CampaignStateMachine.Pause, CampaignStatus.Paused, http, ct);

    private static Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Resume(
        string id, CampaignTransitions transitions, HttpContext http, CancellationToken ct) =>
        transitions.ChangeAsync(id, CampaignStateMachine.Resume, CampaignStatus.Sending, http, ct);

    private static Task<Results<Ok<SuccessEnvelope<CampaignView>>, ApiError>> Cancel(
        string id, CampaignTransitions transitions, HttpContext http, CancellationToken ct) =>
        transitions.ChangeAsync(id, CampaignStateMachine.Cancel, CampaignStatus.Cancelled, http, ct);
}
