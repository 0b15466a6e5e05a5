using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Esp;

/// <summary>
/// How one tenant's mail leaves (api-access.md "ESP Integration"): the server's relay (<c>smtp</c>, also when no row
/// exists), Postmark or Mailgun, with their credentials. Every secret column holds Data Protection ciphertext
/// (<see cref="EspSecrets"/>), never the secret; the <c>…Last4</c> columns are what people are shown of it.
/// <see cref="InboundToken"/> names the tenant in its event-webhook URLs; the Postmark webhook password (basic auth
/// in the URL) and the Mailgun signing key are what authenticate a call to them.
/// </summary>
public sealed class EspSettings : ITenantOwned
{
    public Guid TenantId { get; set; }

    /// <summary><see cref="EspTransports.Smtp"/>, <see cref="EspTransports.Postmark"/> or <see cref="EspTransports.Mailgun"/>.</summary>
    public string Transport { get; set; } = EspTransports.Smtp;

    /// <summary>43 characters of base64url (32 random bytes): the path segment of the tenant's inbound webhook URLs.</summary>
    public required string InboundToken { get; set; }

    public string? PostmarkServerToken { get; set; }
    public string? PostmarkServerTokenLast4 { get; set; }

    /// <summary>Postmark's message stream for transactional mail; <c>outbound</c> unless set.</summary>
    public string PostmarkMessageStream { get; set; } = "outbound";

    public required string PostmarkWebhookUser { get; set; }
    public required string PostmarkWebhookPassword { get; set; }

    public string? MailgunApiKey { get; set; }
    public string? MailgunApiKeyLast4 { get; set; }
    public string? MailgunDomain { get; set; }

    /// <summary><c>us</c> or <c>eu</c>: which of Mailgun's API hosts holds the domain (EspOptions.MailgunUsBaseUrl / MailgunEuBaseUrl).</summary>
    public string MailgunRegion { get; set; } = "us";

    public string? MailgunSigningKey { get; set; }
    public string? MailgunSigningKeyLast4 { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>The delivery transports a tenant can choose.</summary>
public static class EspTransports
{
    public const string Smtp = "smtp";
    public const string Postmark = "postmark";
    public const string Mailgun = "mailgun";

    public static readonly IReadOnlyList<string> All = [Smtp, Postmark, Mailgun];
}

internal sealed class EspSettingsConfiguration : IEntityTypeConfiguration<EspSettings>
{
    public void Configure(EntityTypeBuilder<EspSettings> builder)
    {
        builder.ToTable("esp_settings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.Transport).HasMaxLength(20);
        builder.Property(s => s.InboundToken).HasMaxLength(64);
        builder.HasIndex(s => s.InboundToken).IsUnique();
        builder.Property(s => s.PostmarkServerToken).HasMaxLength(2000);
        builder.Property(s => s.PostmarkServerTokenLast4).HasMaxLength(4);
        builder.Property(s => s.PostmarkMessageStream).HasMaxLength(100);
        builder.Property(s => s.PostmarkWebhookUser).HasMaxLength(64);
        builder.Property(s => s.PostmarkWebhookPassword).HasMaxLength(2000);
        builder.Property(s => s.MailgunApiKey).HasMaxLength(2000);
        builder.Property(s => s.MailgunApiKeyLast4).HasMaxLength(4);
        builder.Property(s => s.MailgunDomain).HasMaxLength(253);
        builder.Property(s => s.MailgunRegion).HasMaxLength(2);
        builder.Property(s => s.MailgunSigningKey).HasMaxLength(2000);
        builder.Property(s => s.MailgunSigningKeyLast4).HasMaxLength(4);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
    }
}
