using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using PenguinMails.Tenancy;

namespace PenguinMails.Templates;

internal sealed class EmailTemplateConfiguration : IEntityTypeConfiguration<EmailTemplate>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Configure(EntityTypeBuilder<EmailTemplate> builder)
    {
        builder.ToTable("email_templates");
        builder.Property(t => t.Slug).HasMaxLength(TemplateRules.SlugMaxLength);
        builder.HasIndex(t => new { t.TenantId, t.Slug }).IsUnique();
        builder.HasIndex(t => new { t.TenantId, t.CreatedAt });
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Subject).HasMaxLength(TemplateRules.SubjectMaxLength);
        builder.Property(t => t.Variables).HasConversion(
            v => JsonSerializer.Serialize(v, Json),
            v => JsonSerializer.Deserialize<List<TemplateVariable>>(v, Json) ?? new List<TemplateVariable>(),
            new ValueComparer<List<TemplateVariable>>(
                (a, b) => a!.SequenceEqual(b!),
                v => v.Aggregate(0, (hash, item) => HashCode.Combine(hash, item.GetHashCode())),
                v => v.ToList()));
        builder.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId);
    }
}
