using System.CommandLine;
using System.ComponentModel.DataAnnotations;
using PenguinMails.ApiKeys;

namespace PenguinMails.Cli;

internal static class KeyCommands
{
    public static Command Create()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var name = new Option<string>("--name") { Description = "A name that says where the key is used", Required = true };
        var description = new Option<string?>("--description") { Description = "Notes about the key" };
        var preset = new Option<string?>("--preset") { Description = "read_only, full_access or email_sending" };
        var permission = new Option<string[]>("--permission") { Description = "A permission such as emails:send; repeat for more" };
        var environment = new Option<string>("--environment") { Description = "live (pm_live_) or test (pm_test_)", DefaultValueFactory = _ => "live" };
        var expires = new Option<int?>("--expires-in-days") { Description = "Days until the key stops working; never by default" };
        var allowIp = new Option<string[]>("--allow-ip") { Description = "An allowed address or CIDR range; repeat for more" };
        var create = new Command("create", "Create an API key; prints the whole key, alone on its line, once.")
        {
            tenantOption, name, description, preset, permission, environment, expires, allowIp,
        };
        create.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var request = new CreateApiKeyRequest
            {
                Name = parse.GetRequiredValue(name),
                Description = parse.GetValue(description),
                Preset = parse.GetValue(preset),
                Permissions = parse.GetValue(permission)?.ToList(),
                Environment = parse.GetValue(environment),
                ExpiresInDays = parse.GetValue(expires),
                AllowedIps = parse.GetValue(allowIp)?.ToList(),
            };
            var errors = new List<ValidationResult>();
            if (!Validator.TryValidateObject(request, new ValidationContext(request), errors, validateAllProperties: true))
            {
                throw new CliException(string.Join(Environment.NewLine + "       ", errors.Select(e => e.ErrorMessage)));
            }

            var (key, secret) = await services.GetRequiredService<ApiKeyIssuer>().CreateAsync(request, Users.ChangeActor.Cli, token);
            await Console.Error.WriteLineAsync(
                $"Created '{key.Name}' ({key.KeyId}) with {string.Join(' ', key.Permissions)}. {CreatedApiKeyResponse.CopyWarning}");
            Console.WriteLine(secret);
            return 0;
        }, ct));
        var keys = new Command("keys", "Manage API keys.");
        keys.Subcommands.Add(create);
        return keys;
    }
}
