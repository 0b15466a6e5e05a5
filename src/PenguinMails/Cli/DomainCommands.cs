using System.CommandLine;
using Microsoft.Extensions.Options;
using PenguinMails.Data;
using PenguinMails.Domains;

namespace PenguinMails.Cli;

/// <summary>
/// <c>domains add</c> and <c>domains list</c>: the operator's side of sending domains. <c>--verified</c> adds a domain
/// whose DNS the operator manages: verified at once and never looked up again (issue 13; the upgrade step).
/// </summary>
internal static class DomainCommands
{
    public static Command Create()
    {
        var domains = new Command("domains", "Add a tenant's sending domains and list them.");
        domains.Subcommands.Add(Add());
        domains.Subcommands.Add(List());
        return domains;
    }

    private static Command Add()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var name = new Option<string>("--name") { Description = "The domain, e.g. mail.example.com", Required = true };
        var verified = new Option<bool>("--verified") { Description = "Verified now, never checked in DNS: for DNS the operator manages" };
        var command = new Command("add", "Add a sending domain; prints the DNS records to publish.") { tenantOption, name, verified };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var tenant = await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var (domain, refusal) = await services.GetRequiredService<DomainRegistry>().AddAsync(parse.GetRequiredValue(name), parse.GetValue(verified), token);
            if (refusal is not null)
            {
                throw new CliException(refusal.Message);
            }

            var options = services.GetRequiredService<IOptions<PenguinMailsOptions>>().Value.Domains;
            Console.WriteLine($"{DomainIds.Format(domain!.Id)}\t{domain.Name}\t{domain.Status.ToString().ToLowerInvariant()}");
            foreach (var record in DomainRecords.Expected(domain, options))
            {
                Console.WriteLine($"{record.Type}\t{record.Host}\t{record.Expected}{(record.Required ? "" : "\t(recommended)")}");
            }

            await Console.Error.WriteLineAsync(domain.OperatorManaged
                ? $"{tenant.Slug}: {domain.Name} is verified (operator-managed: never checked in DNS). Publish the DKIM record above so receivers can check signatures."
                : $"{tenant.Slug}: publish the records above, then verify in the portal or with POST /api/v1/domains/{DomainIds.Format(domain.Id)}/verify.");
            return 0;
        }, ct));
        return command;
    }

    private static Command List()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "Only this tenant's (slug); default every tenant's" };
        var command = new Command("list", "List sending domains: tenant, name, status, DKIM selector.") { tenantOption };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<AppDb>();
            var slug = parse.GetValue(tenantOption);
            if (slug is not null)
            {
                await CliApp.EnterTenantAsync(services, slug, token);
            }

            var rows = await (slug is null ? db.SendingDomains.IgnoreQueryFilters() : db.SendingDomains)
                .Join(db.Tenants, d => d.TenantId, t => t.Id, (d, t) => new { t.Slug, d.Name, d.Status, d.OperatorManaged, d.DkimSelector })
                .OrderBy(r => r.Slug).ThenBy(r => r.Name).ToListAsync(token);
            foreach (var row in rows)
            {
                Console.WriteLine($"{row.Slug}\t{row.Name}\t{row.Status.ToString().ToLowerInvariant()}{(row.OperatorManaged ? " (operator-managed)" : "")}\t{row.DkimSelector}");
            }

            return 0;
        }, ct));
        return command;
    }
}
