using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Emails;

internal sealed class EmailMessageConfiguration : IEntityTypeConfiguration<EmailMessage>
{
    public void Configure(EntityTypeBuilder<EmailMessage> builder)
    {
        builder.ToTable("email_messages");
        builder.Property(m => m.From).HasMaxLength(998);
        builder.Property(m => m.Subject).HasMaxLength(998);
        builder.Property(m => m.TemplateId).HasMaxLength(100);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.LeaseOwner).HasMaxLength(100);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.Property(m => m.EspMessageId).HasMaxLength(200);
        builder.HasIndex(m => new { m.TenantId, m.EspMessageId });
        // The dispatcher's claim: due messages by time; expired leases.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => new { m.TenantId, m.CreatedAt });
        builder.HasMany(m => m.Recipients).WithOne().HasForeignKey(r => r.MessageId);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId);
    }
}

internal sealed class EmailRecipientConfiguration : IEntityTypeConfiguration<EmailRecipient>
{
    public void Configure(EntityTypeBuilder<EmailRecipient> builder)
    {
        builder.ToTable("email_recipients");
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Address).HasMaxLength(998);
        builder.Property(r => r.Email).HasMaxLength(320);
        builder.Property(r => r.Detail).HasMaxLength(1000);
        builder.HasIndex(r => new { r.TenantId, r.Email });
    }
}

internal sealed class EmailEventConfiguration : IEntityTypeConfiguration<EmailEvent>
{
    public void Configure(EntityTypeBuilder<EmailEvent> builder)
    {
        builder.ToTable("email_events");
        builder.Property(e => e.Type).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Recipient).HasMaxLength(320);
        builder.Property(e => e.Detail).HasMaxLength(2048);
        builder.Property(e => e.Client).HasMaxLength(64);
        builder.HasIndex(e => new { e.MessageId, e.At });
        builder.HasOne<EmailMessage>().WithMany().HasForeignKey(e => e.MessageId);
    }
}

internal sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> builder)
    {
        builder.ToTable("delivery_attempts");
        builder.Property(a => a.Node).HasMaxLength(100);
        builder.Property(a => a.Outcome).HasMaxLength(20);
        builder.Property(a => a.Response).HasMaxLength(1000);
        builder.HasIndex(a => a.MessageId);
        builder.HasOne<EmailMessage>().WithMany().HasForeignKey(a => a.MessageId);
    }
}
