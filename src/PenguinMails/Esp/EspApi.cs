using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Http;

namespace PenguinMails.Esp;

/// <summary>
/// <c>/api/v1/tenant/esp</c>: how the tenant's mail leaves — the server's relay, Postmark or Mailgun — and the
/// inbound webhook URLs for each ESP. Both operations need <c>admin:full</c>: choosing the transport sends all the
/// tenant's mail through a third party on credentials given here, and the answer holds the webhook URLs, which are
/// credentials themselves (Postmark's carries its password). No narrower permission of the spec's matrix covers that.
/// </summary>
public static class EspApi
{
    public static IEndpointRouteBuilder MapEsp(this IEndpointRouteBuilder app)
    {
        var esp = app.MapGroup("/api/v1/tenant/esp").WithTags("ESP integration").RequirePermission(Permissions.AdminFull);
        esp.MapGet("/", Get).WithName("getEspSettings")
            .WithSummary("Get the delivery transport, credentials (last 4 characters only) and inbound webhook URLs");
        esp.MapPut("/", Put).WithName("updateEspSettings")
            .WithSummary("Choose the delivery transport (smtp, postmark, mailgun) and set ESP credentials; omitted credentials are kept");
        return app;
    }

    private static async Task<Ok<SuccessEnvelope<EspSettingsResponse>>> Get(EspSettingsEditor editor, HttpContext http, CancellationToken ct) =>
        ApiResults.Ok(http, await editor.GetAsync(ct));

    private static async Task<Results<Ok<SuccessEnvelope<EspSettingsResponse>>, ApiError>> Put(
        EspSettingsRequest request, EspSettingsEditor editor, HttpContext http, CancellationToken ct)
    {
        var (saved, errors) = await editor.SaveAsync(request, Users.ChangeActor.Of(http, ApiKeyPrincipal.ActorOf(http.User)), ct);
        return saved is null ? new ApiError(ErrorCodes.ValidationError, null, errors) : ApiResults.Ok(http, saved);
    }
}
