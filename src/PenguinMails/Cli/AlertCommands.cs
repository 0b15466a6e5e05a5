using System.CommandLine;
using Microsoft.Extensions.Options;
using PenguinMails.Alerts;
using PenguinMails.Data;

namespace PenguinMails.Cli;

/// <summary>
/// <c>tenants set-alerts --tenant SLUG [--set NAME=VALUE]...</c>: a tenant's own alert thresholds
/// (<see cref="AlertSettings"/>); <c>NAME=default</c> goes back to the installation's PenguinMails:Alerts value. Prints
/// the thresholds in force (to stderr, like the other tenant commands).
/// </summary>
internal static class AlertCommands
{
    private const string Default = "default";

    public static Command SetAlerts()
    {
        var tenantOption = new Option<string>("--tenant") { Description = "The tenant's slug", Required = true };
        var set = new Option<string[]>("--set")
        {
            Description = $"NAME=VALUE (or NAME={Default}); names: {string.Join(", ", AlertSettings.All.Select(s => s.Name))}",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("set-alerts", "Set a tenant's alert thresholds; with no --set, show them.") { tenantOption, set };
        command.SetAction((parse, ct) => CliApp.WithServicesAsync(async (services, token) =>
        {
            var changes = (parse.GetValue(set) ?? []).Select(Parse).ToList();
            var tenant = await CliApp.EnterTenantAsync(services, parse.GetRequiredValue(tenantOption), token);
            var db = services.GetRequiredService<AppDb>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            foreach (var (setting, value) in changes)
            {
                var row = await db.TenantAlertSettings.FirstOrDefaultAsync(s => s.Name == setting.Name, token);
                if (value is null && row is not null)
                {
                    db.TenantAlertSettings.Remove(row);
                }
                else if (value is { } v && row is null)
                {
                    db.TenantAlertSettings.Add(new TenantAlertSetting { Name = setting.Name, Value = v, UpdatedAt = now });
                }
                else if (value is { } changed && row is not null)
                {
                    (row.Value, row.UpdatedAt) = (changed, now);
                }
            }

            await db.SaveChangesAsync(token);
            var thresholds = await TenantAlertThresholds.LoadAsync(db, services.GetRequiredService<IOptions<PenguinMailsOptions>>(), token);
            foreach (var setting in AlertSettings.All)
            {
                await Console.Error.WriteLineAsync(
                    $"{tenant.Slug}: {setting.Name} = {thresholds[setting]} ({(thresholds.IsOwn(setting) ? "this tenant's" : Default)}) — {setting.Description}");
            }

            return 0;
        }, ct));
        return command;
    }

    private static (AlertSetting Setting, int? Value) Parse(string text)
    {
        var parts = text.Split('=', 2, StringSplitOptions.TrimEntries);
        var setting = AlertSettings.Find(parts[0])
            ?? throw new CliException($"--set '{text}': unknown setting; known: {string.Join(", ", AlertSettings.All.Select(s => s.Name))}.");
        if (parts.Length < 2 || parts[1].Length == 0)
        {
            throw new CliException($"--set '{text}': expected {setting.Name}=VALUE or {setting.Name}={Default}.");
        }

        if (parts[1].Equals(Default, StringComparison.OrdinalIgnoreCase))
        {
            return (setting, null);
        }

        return int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= setting.Min && value <= setting.Max
            ? (setting, value)
            : throw new CliException($"--set '{text}': {setting.Name} must be a whole number from {setting.Min} to {setting.Max}, or {Default}.");
    }
}
