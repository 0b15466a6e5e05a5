using System.CommandLine;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Emails;
using PenguinMails.Tenancy;

namespace PenguinMails.Cli;

internal static class TenantCommands
{
    public static Command Create()
    {
        var tenants = new Command("tenants", "Create tenants, change their plan, their default sender and their alert thresholds.");
        tenants.Subcommands.Add(CreateTenant());
        tenants.Subcommands.Add(SetPlan());
        tenants.Subcommands.Add(SetDefaultFrom());
        tenants.Subcommands.Add(AlertCommands.SetAlerts());
        tenants.Subcommands.Add(EspCommands.SetEsp());
        return tenants;
    }

    private static Option<Plan?> PlanOption(bool required) => new("--plan")
    {
        Description = "starter, professional or business",
        Required = required,
        CustomParser = result => Enum.TryParse<Plan>(result.Tokens[0].Value, ignoreCase: true, out var plan)
            ? plan
            : ParseError(result, $"'{result.Tokens[0].Value}' is not a plan: starter, professional or business."),
    };

    private static Plan? ParseError(System.CommandLine.Parsing.ArgumentResult result, string message)
    {
        result.AddError(message);
        return null;
    }

    private static Command CreateTenant()
    {
        var name = new Option<string>("--name") { Description = "The tenant's display name", Required = true };
        var plan = PlanOption(required: false);
        var command = new Command("create", "Create a tenant; prints its slug.") { name, plan };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var db = services.GetRequiredService<AppDb>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var tenantName = parse.GetRequiredValue(name).Trim();
            if (tenantName.Length is 0 or > 200)
            {
                throw new CliException("--name must have 1 to 200 characters.");
            }

            if (Http.OneLineAttribute.Problem(tenantName) is { } problem)
            {
                throw new CliException(Http.OneLineAttribute.Message("--name", problem));
            }

            var slug = await UniqueSlugAsync(db, Slugs.From(tenantName), token);
            var tenant = new Tenant { Name = tenantName, Slug = slug, Plan = parse.GetValue(plan) ?? Plan.Starter, CreatedAt = now, UpdatedAt = now };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync(token);
            services.GetRequiredService<TenantContext>().Enter(tenant.Id);
            db.SecurityEvents.Add(new SecurityEvent { Type = SecurityEventTypes.TenantCreated, Actor = "cli", OccurredAt = now });
            await db.SaveChangesAsync(token);
            Console.WriteLine(slug);
            return 0;
        }, ct));
        return command;
    }

    private static Command SetPlan()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var plan = PlanOption(required: true);
        var command = new Command("set-plan", "Change a tenant's plan (rate limits follow within seconds).") { tenantOption, plan };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var tenant = await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var db = services.GetRequiredService<AppDb>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var previous = tenant.Plan;
            tenant.Plan = parse.GetValue(plan)!.Value;
            tenant.UpdatedAt = now;
            db.SecurityEvents.Add(new SecurityEvent
            {
                Type = SecurityEventTypes.PlanChanged, Actor = "cli", OccurredAt = now,
                Detail = $"{previous.ToString().ToLowerInvariant()} -> {tenant.Plan.ToString().ToLowerInvariant()}",
            });
            await db.SaveChangesAsync(token);
            await Console.Error.WriteLineAsync($"{tenant.Slug}: plan is now {tenant.Plan.ToString().ToLowerInvariant()}");
            return 0;
        }, ct));
        return command;
    }

    private static Command SetDefaultFrom()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var from = new Option<string>("--from")
        {
            Description = "Sender of sends that name no from, e.g. \"Acme <hello@acme.com>\"; empty = PenguinMails:Emails:DefaultFrom",
            Required = true,
        };
        var command = new Command("set-default-from", "Set the sender used when a send names no from.") { tenantOption, from };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var text = parse.GetRequiredValue(from).Trim();
            string? sender = null;
            if (text.Length > 0)
            {
                var mailbox = EmailAddresses.TryParse(text, out var error) ?? throw new CliException("--from " + error);
                sender = mailbox.ToString();
            }

            var tenant = await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            tenant.DefaultFrom = sender;
            tenant.UpdatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            await services.GetRequiredService<AppDb>().SaveChangesAsync(token);
            await Console.Error.WriteLineAsync($"{tenant.Slug}: default sender is now {sender ?? "the server's (PenguinMails:Emails:DefaultFrom)"}");
            return 0;
        }, ct));
        return command;
    }

    private static async Task<string> UniqueSlugAsync(AppDb db, string baseSlug, CancellationToken ct)
    {
        var slug = baseSlug;
        for (var n = 2; await db.Tenants.AnyAsync(t => t.Slug == slug, ct); n++)
        {
            slug = $"{baseSlug}-{n}";
        }

        return slug;
    }
}
