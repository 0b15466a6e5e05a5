using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Domains;
using PenguinMails.Users;

namespace PenguinMails.Portal.Pages.Settings;

/// <summary>
/// <c>/dashboard/settings/domains</c> (issue 13): the tenant's sending domains, each with its status and the records to
/// publish (copy buttons), and what DNS answered at the last check, record by record. Admins add a domain, verify it,
/// rotate its DKIM key and delete it (delete in sudo mode), through the same services as /api/v1/domains; developers
/// read. Every change is a POST that redirects back here with a notice.
/// </summary>
public sealed class DomainsModel(AppDb db, DomainRegistry registry, DomainVerifier verifier, DomainHolds holds, PortalSession session,
    IOptions<PenguinMailsOptions> options, TimeProvider time) : PageModel
{
    internal const string NoticeKey = "pm_domains_notice";

    [BindProperty]
    [Required(ErrorMessage = "Enter the domain you send from, e.g. mail.example.com.")]
    [Display(Name = "Domain name")]
    public string? Name { get; set; }

    public List<(SendingDomain Domain, List<DnsRecordCheck> Records)> Domains { get; private set; } = [];
    public bool IsAdmin => session.Current!.Role == UserRole.Admin;
    public DateTime Now => time.GetUtcNow().UtcDateTime;
    public double FailAfterHours => options.Value.Domains.FailAfterHours;

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAddAsync()
    {
        if (!IsAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (ModelState.IsValid)
        {
            var (domain, refusal) = await registry.AddAsync(Name, operatorManaged: false, HttpContext.RequestAborted);
            if (refusal is null)
            {
                return Done($"{domain!.Name} was added. Publish its records below at your DNS provider, then press Verify.", domain.Id);
            }

            ModelState.AddModelError(nameof(Name), refusal.Message);
        }

        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(string id) => await ChangeAsync(id, sudo: false, async domain =>
    {
        var checks = await verifier.VerifyAsync(domain, HttpContext.RequestAborted);
        var open = checks.Count(c => c.Required && c.Status != DnsRecordCheck.FoundStatus);
        return domain.Status == DomainStatus.Verified && open == 0
            ? $"{domain.Name} is verified: live keys can send from it and its subdomains."
            : $"{domain.Name} is {domain.Status.ToString().ToLowerInvariant()}: {open} required record{(open == 1 ? " was" : "s were")} not found. See what DNS answered below.";
    });

    public async Task<IActionResult> OnPostRotateAsync(string id) => await ChangeAsync(id, sudo: false, async domain =>
    {
        if (domain.PendingSelector is { } pending)
        {
            return $"A new DKIM key ({pending}) is already waiting: publish its record, then press Verify.";
        }

        await registry.RotateAsync(domain, HttpContext.RequestAborted);
        return $"A new DKIM key ({domain.PendingSelector}) was made. Publish its record beside the current one, then press Verify: signing switches to it once DNS shows it.";
    });

    public async Task<IActionResult> OnPostDeleteAsync(string id) => await ChangeAsync(id, sudo: true, async domain =>
    {
        await registry.DeleteAsync(domain, holds, HttpContext.RequestAborted);
        return $"{domain.Name} was deleted. Live keys can no longer send from it.";
    });

    private async Task<IActionResult> ChangeAsync(string id, bool sudo, Func<SendingDomain, Task<string>> change)
    {
        if (!IsAdmin)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (sudo && !PortalSudo.IsFresh(HttpContext))
        {
            return LocalRedirect(PortalSudo.PromptFor(PortalPaths.Domains));
        }

        if (await DomainsApi.FindAsync(db, id, HttpContext.RequestAborted, tracked: true) is not { } domain)
        {
            return NotFound();
        }

        return Done(await change(domain), domain.Id);
    }

    private LocalRedirectResult Done(string notice, Guid id)
    {
        TempData[NoticeKey] = notice;
        return LocalRedirect($"{PortalPaths.Domains}#{DomainIds.Format(id)}");
    }

    private async Task LoadAsync()
    {
        var all = await db.SendingDomains.AsNoTracking().OrderBy(d => d.Name).ToListAsync(HttpContext.RequestAborted);
        Domains = all.Select(d => (d, DomainVerifier.LastChecks(d, options.Value.Domains))).ToList();
    }
}
