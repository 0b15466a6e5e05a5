using System.CommandLine;
using PenguinMails.Users;

namespace PenguinMails.Cli;

internal static class UserCommands
{
    public static Command Create()
    {
        var users = new Command("users", "Manage portal users (accounts and their memberships).");
        users.Subcommands.Add(CreateMember());
        users.Subcommands.Add(ResetPassword());
        return users;
    }

    private static Command CreateMember()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var email = new Option<string>("--email") { Description = "The user's email address", Required = true };
        var role = new Option<UserRole>("--role") { Description = "admin or developer", Required = true };
        var create = new Command("create",
            "Add a user to a tenant: an existing account gets a membership; a new one also gets a generated password, printed once.")
            { tenantOption, email, role };
        create.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var address = CheckedAddress(parse.GetRequiredValue(email));
            AddedMember added;
            try
            {
                added = await services.GetRequiredService<UserAccounts>()
                    .AddMemberAsync(address, parse.GetRequiredValue(role), ChangeActor.Cli, token);
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }

            var roleName = added.Membership.Role.ToString().ToLowerInvariant();
            if (added.Password is null)
            {
                await Console.Error.WriteLineAsync($"Added the existing account {added.Account.Email} ({roleName}); its password is unchanged.");
                return 0;
            }

            await Console.Error.WriteLineAsync($"Created {added.Account.Email} ({roleName}). Password, shown only once:");
            Console.WriteLine(added.Password);
            return 0;
        }, ct));
        return create;
    }

    private static Command ResetPassword()
    {
        var email = new Option<string>("--email") { Description = "The account's email address", Required = true };
        var disableTwoFactor = new Option<bool>("--disable-two-factor")
        {
            Description = "Also turn the account's two-factor authentication off (lost authenticator and recovery codes)",
        };
        var reset = new Command("reset-password",
            "Give an account a new generated password (printed once, alone on stdout) and unlock it.") { email, disableTwoFactor };
        reset.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, _) =>
        {
            var address = CheckedAddress(parse.GetRequiredValue(email));
            var withoutTwoFactor = parse.GetValue(disableTwoFactor);
            var account = await services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Users.Account>>().FindByEmailAsync(address)
                ?? throw new CliException($"no account with email '{address}'.");
            var hadTwoFactor = account.TwoFactorEnabled;
            var password = await services.GetRequiredService<UserAccounts>().ResetPasswordAsync(account, withoutTwoFactor);
            var events = services.GetRequiredService<Portal.AccountEvents>();
            await events.RecordAsync(account, Audit.SecurityEventTypes.UserPasswordReset, ChangeActor.Cli, $"{account.Email} (and unlocked)");
            if (withoutTwoFactor && hadTwoFactor)
            {
                await events.RecordAsync(account, Audit.SecurityEventTypes.TwoFactorDisabled, ChangeActor.Cli, account.Email);
            }

            await Console.Error.WriteLineAsync($"New password for {address.ToLowerInvariant()}, shown only once (the account is unlocked" +
                (withoutTwoFactor ? ", two-factor is off" : "") + "):");
            Console.WriteLine(password);
            return 0;
        }, ct));
        return reset;
    }

    private static string CheckedAddress(string value)
    {
        var address = value.Trim();
        return UserAccounts.IsAddress(address)
            ? address
            : throw new CliException($"'{address}' is not an email address.");
    }
}
