using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PenguinMails.Webhooks;

public sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.Property(e => e.Url).HasMaxLength(2048);
        builder.Property(e => e.Description).HasMaxLength(500);
        builder.Property(e => e.Environment).HasConversion<string>().HasMaxLength(8);
        builder.Property(e => e.DisabledReason).HasMaxLength(500);
        builder.HasIndex(e => new { e.TenantId, e.CreatedAt, e.Id });
        builder.HasIndex(e => e.UpdatedAt);
    }
}

public sealed class WebhookEventConfiguration : IEntityTypeConfiguration<WebhookEvent>
{
    public void Configure(EntityTypeBuilder<WebhookEvent> builder)
    {
        builder.ToTable("webhook_events");
        builder.Ignore(e => e.WebhookId);
        builder.Property(e => e.Type).HasMaxLength(64);
        builder.Property(e => e.Environment).HasConversion<string>().HasMaxLength(8);
        builder.Property(e => e.Email).HasMaxLength(320);
        builder.HasIndex(e => new { e.TenantId, e.Email });
        builder.HasIndex(e => e.CreatedAt);
    }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.Property(d => d.EventType).HasMaxLength(64);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.ResponseExcerpt).HasMaxLength(1024);
        builder.Property(d => d.Error).HasMaxLength(1000);
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => new { d.Status, d.EndpointId, d.NextAttemptAt }); // WebhookClaims: per endpoint, oldest first
        builder.HasIndex(d => new { d.TenantId, d.EndpointId, d.CreatedAt, d.Id });
        builder.HasIndex(d => d.EventId);
        builder.HasIndex(d => d.LeaseToken);
    }
}
