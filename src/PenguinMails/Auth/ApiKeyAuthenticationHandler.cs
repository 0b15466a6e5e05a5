using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using PenguinMails.ApiKeys;
using PenguinMails.Audit;
using PenguinMails.Http;
using PenguinMails.Tenancy;

namespace PenguinMails.Auth;

/// <summary>
/// <c>Authorization: Bearer pm_...</c> on every request. Failures answer in the error envelope with a code
/// a client can act on; a successful key enters its tenant for the rest of the request.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyVerifier verifier,
    TenantContext tenant,
    IpDenials ipDenials,
    IOptions<PenguinMailsOptions> options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    private static readonly object FailureKey = new();

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (CarriesKeyInQuery(Request.Query))
        {
            return Failure(ErrorCodes.ApiKeyInQueryString);
        }

        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Failure(ErrorCodes.AuthenticationRequired);
        }

        if (!Request.IsHttps && !options.Value.Http.AllowInsecureHttp && !IsLoopback(Context.Connection.RemoteIpAddress))
        {
            return Failure(ErrorCodes.HttpsRequired);
        }

        var caller = Context.Connection.RemoteIpAddress;
        var result = await verifier.VerifyAsync(header[7..].Trim(), caller);
        if (result.Error == ErrorCodes.IpNotAllowed)
        {
            var agent = Request.Headers.UserAgent.ToString();
            ipDenials.Refused(result.Key!.TenantId, result.Key.Id, result.Key.KeyId, caller?.ToString(), agent.Length == 0 ? null : agent,
                Request.Method, Request.Path.Value ?? "/");
        }

        if (!result.Succeeded)
        {
            // The request log records it under the tenant the identifier names; unverified when the secret was wrong.
            if ((result.Key ?? result.Claimed) is { } named)
            {
                Context.Features.Set(new KeyAttempt(named, Verified: result.Key is not null));
            }

            return Failure(result.Error!);
        }

        tenant.Enter(result.Key!.TenantId);
        Context.Features.Set(result.Key);
        return AuthenticateResult.Success(new AuthenticationTicket(ApiKeyPrincipal.For(result.Key), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var code = Context.Items[FailureKey] as ErrorCode ?? ErrorCodes.AuthenticationRequired;
        if (code.Status == 401)
        {
            Response.Headers.WWWAuthenticate = "Bearer";
        }

        return ErrorWriter.WriteAsync(Context, code);
    }

    private AuthenticateResult Failure(ErrorCode code)
    {
        Context.Items[FailureKey] = code;
        return AuthenticateResult.Fail(code.Code);
    }

    private static bool CarriesKeyInQuery(IQueryCollection query)
    {
        foreach (var (name, values) in query)
        {
            if (name.Equals("api_key", StringComparison.OrdinalIgnoreCase)
                || name.Equals("access_token", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            // "?pm_live_..." arrives as a parameter name with an empty value.
            foreach (var value in values.Append(name))
            {
                // A key identifier (22 characters) is fine to search by; a whole key is not.
                if (value is { Length: >= ApiKeyFormat.Length }
                    && (value.Contains(ApiKeyFormat.LivePrefix, StringComparison.Ordinal)
                        || value.Contains(ApiKeyFormat.TestPrefix, StringComparison.Ordinal)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
