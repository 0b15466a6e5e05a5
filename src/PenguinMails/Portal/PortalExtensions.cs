using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Portal;

/// <summary>
/// The developer portal: Razor Pages in this server, signed in with ASP.NET Core Identity's cookie. The cookie is a
/// scheme of its own: API endpoints still authenticate only API keys (the default scheme) and answer the JSON
/// envelope; pages authenticate only the cookie and answer HTML.
/// </summary>
public static class PortalExtensions
{
    /// <summary>The authorization policy of every page: Identity's application cookie, signed in.</summary>
    public const string Policy = "portal";

    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Scoped<ILookupNormalizer, LowerInvariantLookupNormalizer>());
        services.AddIdentityCore<Users.Account>()
            .AddEntityFrameworkStores<AppDb>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<PasswordResetTokenProvider>(PasswordResetTokenProvider.Name)
            .AddTokenProvider<SingleUseAuthenticatorTokenProvider>(SingleUseAuthenticatorTokenProvider.Name);
        services.Replace(ServiceDescriptor.Scoped<ILookupNormalizer, LowerInvariantLookupNormalizer>());
        services.AddOptions<IdentityOptions>().Configure<IOptions<PenguinMailsOptions>>((identity, o) =>
        {
            identity.User.RequireUniqueEmail = true;
            identity.Tokens.AuthenticatorTokenProvider = SingleUseAuthenticatorTokenProvider.Name;
            identity.User.AllowedUserNameCharacters = ""; // the user name is the email address, checked as one
            // Length, not character classes (NIST SP 800-63B 5.1.1.2); generated passwords are 20 characters.
            identity.Password.RequiredLength = 12;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Tokens.PasswordResetTokenProvider = PasswordResetTokenProvider.Name;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = o.Value.Portal.MaxFailedSignIns;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(o.Value.Portal.LockoutMinutes);
        });

        services.AddAuthentication().AddIdentityCookies();
        services.AddSingleton<Sessions.PortalTicketStore>();
        services.AddSingleton<Sessions.PortalSessionRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Sessions.PortalSessionRetention>());
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<IOptions<PenguinMailsOptions>, Sessions.PortalTicketStore>((cookie, o, sessions) =>
            {
                cookie.Cookie.Name = "pm_portal";
                cookie.SessionStore = sessions; // the session lives on the server: signing out or a password change ends it at once
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over HTTPS (directly or through a trusted proxy's X-Forwarded-Proto).
                cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = PortalPaths.SignIn;
                cookie.LogoutPath = PortalPaths.SignOut;
                cookie.AccessDeniedPath = PortalPaths.Overview;
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.ExpireTimeSpan = TimeSpan.FromHours(o.Value.Portal.SessionHours);
                cookie.SlidingExpiration = true;
                // The overview's card re-reads itself every few seconds: a page left open is not a person at work, so those
                // polls renew the cookie neither by sliding nor by the security-stamp refresh (which would otherwise reissue
                // it every 30 minutes), and an idle session still ends SessionHours after the last page the person opened.
                cookie.Events.OnCheckSlidingExpiration = context =>
                {
                    context.ShouldRenew &= !IsPoll(context.Request);
                    return Task.CompletedTask;
                };
                var validateStamp = cookie.Events.OnValidatePrincipal;
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    await validateStamp(context);
                    context.ShouldRenew &= !IsPoll(context.Request);
                };
                var redirectToSignIn = cookie.Events.OnRedirectToLogin;
                cookie.Events.OnRedirectToLogin = context => context.Request.Headers.ContainsKey("HX-Request")
                    ? SignInFromFragment(context)
                    : redirectToSignIn(context);
            });
        // Identity re-reads the account every 30 minutes (security stamp); the chosen tenant and sudo mode survive the refresh.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = refresh =>
        {
            if (refresh.CurrentPrincipal?.FindFirst(PortalClaims.Tenant) is { } chosen && refresh.NewPrincipal?.Identity is ClaimsIdentity identity)
            {
                identity.AddClaim(new Claim(PortalClaims.Tenant, chosen.Value));
            }

            if (refresh.CurrentPrincipal is { } current && refresh.NewPrincipal?.Identity is ClaimsIdentity renewed)
            {
                renewed.AddClaims(PortalSudo.Carry(current));
            }

            return Task.CompletedTask;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pm_antiforgery";
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true; // the pages send DENY themselves (SecurityHeaders)
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        services.AddScoped<PortalSession>();
        services.AddScoped<PortalSignIn>();
        services.AddScoped<AccountEvents>();
        services.AddScoped<PasswordResetMail>();
        services.AddSingleton<PublicBaseUrl>();
        services.AddSingleton<Docs.ApiReference>();
        services.AddScoped<TwoFactorPolicy>();
        services.AddScoped<PortalTenantFilter>();
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Portal/Pages";
                o.Conventions.AuthorizeFolder("/", Policy);
                o.Conventions.AllowAnonymousToPage("/Account/SignIn");
                o.Conventions.AllowAnonymousToPage("/Account/TwoFactorSignIn");
                o.Conventions.AllowAnonymousToPage("/Account/ForgotPassword");
                o.Conventions.AllowAnonymousToPage("/Account/ResetPassword");
            })
            .AddMvcOptions(o => o.Filters.AddService<PortalTenantFilter>());
        return services;
    }

    /// <summary>
    /// A fragment htmx fetches (the rate-limit card) after the session ended: following the redirect would swap the
    /// sign-in page into the card, so the whole page goes there instead (HX-Redirect), and comes back to itself after.
    /// </summary>
    private static bool IsPoll(HttpRequest request) =>
        request.Path.StartsWithSegments(PortalPaths.RateLimit, StringComparison.OrdinalIgnoreCase);

    private static Task SignInFromFragment(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context)
    {
        var back = Uri.TryCreate(context.Request.Headers["HX-Current-URL"].ToString(), UriKind.Absolute, out var page)
            ? page.PathAndQuery
            : PortalPaths.Overview;
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers["HX-Redirect"] = $"{PortalPaths.SignIn}?returnUrl={Uri.EscapeDataString(back)}";
        return Task.CompletedTask;
    }

    /// <summary>Static files (the vendored lib/ packages), then HTML error pages and security headers for page URLs.</summary>
    public static WebApplication UsePortalPages(this WebApplication app)
    {
        app.UseMiddleware<PortalResponses>();
        return app;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        // The root and the parents of the overview's address lead to it, as a person shortening the URL expects.
        foreach (var entry in new[] { "/", "/dashboard", "/dashboard/settings" })
        {
            app.MapGet(entry, () => Results.Redirect(PortalPaths.Overview)).AllowAnonymous().ExcludeFromDescription();
        }

        app.MapRazorPages();
        return app;
    }
}
