using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Contacts;

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("contacts");
        builder.Property(c => c.Email).HasMaxLength(ContactRules.MaxEmailLength);
        builder.Property(c => c.NormalizedEmail).HasMaxLength(ContactRules.MaxEmailLength);
        builder.Property(c => c.FirstName).HasMaxLength(ContactRules.MaxNameLength);
        builder.Property(c => c.LastName).HasMaxLength(ContactRules.MaxNameLength);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(c => new { c.TenantId, c.NormalizedEmail }).IsUnique();
        builder.HasIndex(c => new { c.TenantId, c.CreatedAt });
        builder.HasIndex(c => new { c.TenantId, c.UpdatedAt });
        // With the id last, a campaign's audience is read in id order after its cursor straight from the index
        // (CampaignAudience.NextAsync); without it every batch re-read and sorted the rest of the audience (issue 16).
        builder.HasIndex(c => new { c.TenantId, c.Status, c.Id });
        builder.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        builder.HasMany(c => c.Attributes).WithOne().HasForeignKey(a => a.ContactId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Tags).WithOne().HasForeignKey(t => t.ContactId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactAttributeConfiguration : IEntityTypeConfiguration<ContactAttributeValue>
{
    public void Configure(EntityTypeBuilder<ContactAttributeValue> builder)
    {
        builder.ToTable("contact_attributes");
        builder.HasKey(a => new { a.ContactId, a.Key });
        builder.Property(a => a.Key).HasMaxLength(ContactRules.MaxAttributeKeyLength);
        builder.Property(a => a.Value).HasMaxLength(ContactRules.MaxAttributeValueLength);
        builder.HasIndex(a => new { a.TenantId, a.Key, a.Value });
    }
}

internal sealed class ContactTagConfiguration : IEntityTypeConfiguration<ContactTag>
{
    public void Configure(EntityTypeBuilder<ContactTag> builder)
    {
        builder.ToTable("contact_tags");
        builder.HasKey(t => new { t.ContactId, t.Tag });
        builder.Property(t => t.Tag).HasMaxLength(ContactRules.MaxTagLength);
        // With the contact last, "has this contact one of these tags" is one index probe (tenant, tag, contact): a
        // campaign's audience query asks it per contact (CampaignAudience), and with (tenant, tag) alone SQLite scanned
        // every contact of the tag for each (issue 16).
        builder.HasIndex(t => new { t.TenantId, t.Tag, t.ContactId });
    }
}
