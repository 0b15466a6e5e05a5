using System.Globalization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using PenguinMails.ApiKeys;
using PenguinMails.Http;
using PenguinMails.Users;

namespace PenguinMails.Portal.Pages.Developers;

/// <summary>
/// What the creation steps collected so far; every step posts all of it (the other steps' fields as hidden inputs), so
/// Back and Next keep what was entered and the flow needs no JavaScript and no server-side state.
/// Expiry: <c>never</c>, <c>30</c>, <c>90</c>, <c>365</c> (days) or <c>custom</c> with <see cref="CustomDate"/>
/// (yyyy-MM-dd, UTC, after today and at most 5 years ahead). IPs: comma-, space- or line-separated addresses and CIDRs.
/// </summary>
public sealed class KeyDraft
{
    public const int Steps = 4;
    public static readonly string[] Expiries = ["never", "30", "90", "365", "custom"];

    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public string Environment { get; set; } = "live";
    public List<string> Permissions { get; set; } = [];
    public string Expiry { get; set; } = "never";
    public string? CustomDate { get; set; }
    public string IpMode { get; set; } = "all";
    public string? Ips { get; set; }

    public List<string> IpEntries() =>
        (Ips ?? "").Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>Checks one step; errors go to the field ("Draft.Name", ...) so the page shows them there and in the summary.</summary>
    public void Validate(int step, UserRole role, DateTime now, ModelStateDictionary errors)
    {
        switch (step)
        {
            case 1:
                if (string.IsNullOrWhiteSpace(Name))
                {
                    errors.AddModelError("Draft.Name", "Enter a name for the key.");
                }
                else if (TextLengthAttribute.Count(Name.Trim()) > 100)
                {
                    errors.AddModelError("Draft.Name", "The name must have at most 100 characters.");
                }
                else if (OneLineAttribute.Problem(Name.Trim()) is { } problem)
                {
                    errors.AddModelError("Draft.Name", $"The name must be one line of plain text: it {problem}.");
                }

                if (Description is not null && TextLengthAttribute.Count(Description) > 500)
                {
                    errors.AddModelError("Draft.Description", "The description must have at most 500 characters.");
                }

                if (Environment is not ("live" or "test"))
                {
                    errors.AddModelError("Draft.Environment", "Choose Production or Test.");
                }

                break;
            case 2:
                if (Permissions.Count == 0)
                {
                    errors.AddModelError("Draft.Permissions", "Choose at least one permission, or a preset.");
                }
                else if (Permissions.FirstOrDefault(p => !ApiKeys.Permissions.IsKnown(p)) is { } unknown)
                {
                    errors.AddModelError("Draft.Permissions", $"'{unknown}' is not a permission.");
                }
                else if (Permissions.FirstOrDefault(p => !PermissionCatalog.MayGrant(role, p)) is { } admin)
                {
                    errors.AddModelError("Draft.Permissions",
                        $"Only admins can grant {PermissionCatalog.LabelOf(admin)}; untick the admin permissions.");
                }

                break;
            case 3:
                if (!Expiries.Contains(Expiry))
                {
                    errors.AddModelError("Draft.Expiry", "Choose when the key expires.");
                }
                else if (Expiry == "custom" && ExpiresAt(now) is null)
                {
                    errors.AddModelError("Draft.CustomDate", CustomDate is { Length: > 0 }
                        ? $"Enter a date after today and at most 5 years ahead (until {now.AddYears(5):yyyy-MM-dd})."
                        : "Enter the date the key expires.");
                }

                break;
            case 4:
                if (IpMode == "restrict")
                {
                    var entries = IpEntries();
                    if (entries.Count == 0)
                    {
                        errors.AddModelError("Draft.Ips", "Enter at least one IP address or CIDR range, or allow all IPs.");
                    }
                    else if (entries.Count > 100)
                    {
                        errors.AddModelError("Draft.Ips", "Enter at most 100 IP addresses or ranges.");
                    }

                    foreach (var entry in entries.Take(100))
                    {
                        if (!IpAllowList.TryParse(entry, out _, out var error))
                        {
                            errors.AddModelError("Draft.Ips", error);
                        }
                    }
                }
                else if (IpMode != "all")
                {
                    errors.AddModelError("Draft.IpMode", "Choose Allow All IPs or Restrict to IPs.");
                }

                break;
        }
    }

    /// <summary>The custom date's end of day (UTC) when valid; null when absent, unreadable, not in the future or beyond 5 years.</summary>
    public DateTime? ExpiresAt(DateTime now) =>
        DateTime.TryParseExact(CustomDate?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
        && day.Date > now.Date && day.Date <= now.AddYears(5).Date
            ? DateTime.SpecifyKind(day.Date.AddDays(1).AddTicks(-1), DateTimeKind.Utc)
            : null;

    public CreateApiKeyRequest ToRequest(DateTime now) => new()
    {
        Name = Name.Trim(),
        Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim(),
        Environment = Environment,
        Permissions = [.. Permissions],
        ExpiresInDays = Expiry is "30" or "90" or "365" ? int.Parse(Expiry, CultureInfo.InvariantCulture) : null,
        ExpiresAt = Expiry == "custom" ? ExpiresAt(now) : null,
        AllowedIps = IpMode == "restrict" ? IpEntries() : [],
    };
}
