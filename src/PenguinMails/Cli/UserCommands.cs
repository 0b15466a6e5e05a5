using System.CommandLine;
using System.Net.Mail;
using PenguinMails.Audit;
using PenguinMails.Data;
using PenguinMails.Users;

namespace PenguinMails.Cli;

internal static class UserCommands
{
    public static Command Create()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email address", Required = true };
        var role = new Option<UserRole>("--role") { Description = "admin or developer", Required = true };
        var create = new Command("create", "Create a dashboard user; prints a generated password once.") { tenantOption, email, role };
        create.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var address = parse.GetRequiredValue(email).Trim();
            if (!MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
            {
                throw new CliException($"'{address}' is not an email address.");
            }

            var db = services.GetRequiredService<AppDb>();
            if (await db.Users.AnyAsync(u => u.Email == address.ToLowerInvariant(), token))
            {
                throw new CliException($"a user with email '{address}' already exists in this tenant.");
            }

            var (user, password) = await services.GetRequiredService<UserAccounts>()
                .CreateAsync(address, parse.GetRequiredValue(role), token);
            db.SecurityEvents.Add(new SecurityEvent
            {
                Type = SecurityEventTypes.UserCreated, Actor = "cli", Detail = $"{user.Email} ({user.Role})",
                OccurredAt = user.CreatedAt,
            });
            await db.SaveChangesAsync(token);
            await Console.Error.WriteLineAsync($"Created {user.Email} ({user.Role.ToString().ToLowerInvariant()}). Password, shown only once:");
            Console.WriteLine(password);
            return 0;
        }, ct));
        var users = new Command("users", "Manage dashboard users.");
        users.Subcommands.Add(create);
        return users;
    }
}
