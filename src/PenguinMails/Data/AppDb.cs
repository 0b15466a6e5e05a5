using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using PenguinMails.ApiKeys;
using PenguinMails.Audit;
using PenguinMails.Campaigns;
using PenguinMails.Contacts;
using PenguinMails.RateLimiting;
using PenguinMails.Suppressions;
using PenguinMails.Templates;
using PenguinMails.Tenancy;
using PenguinMails.Users;

namespace PenguinMails.Data;

/// <summary>
/// The one EF Core model. Rows that implement <see cref="ITenantOwned"/> are filtered by the current
/// tenant in every query, and saving one that belongs to another tenant throws. Code that must see
/// across tenants (key lookup before a tenant is known, the CLI) says so with IgnoreQueryFilters().
/// Portal accounts are ASP.NET Core Identity's users (installation-wide, not tenant-owned); the Data Protection
/// key ring is stored here too, each key encrypted outside the database's reach (Secrets/MasterKeyXmlEncryptor).
/// </summary>
public abstract class AppDb(DbContextOptions options, TenantContext tenant)
    : IdentityUserContext<Users.Account, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Users.Account> Accounts => Set<Users.Account>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();
    public DbSet<RateLimitUsage> RateLimitUsage => Set<RateLimitUsage>();
    public DbSet<RateLimitRefusal> RateLimitRefusals => Set<RateLimitRefusal>();
    public DbSet<ApiUsage.ApiRequest> ApiRequests => Set<ApiUsage.ApiRequest>();
    public DbSet<ApiUsage.ApiUsageRollup> ApiUsageRollups => Set<ApiUsage.ApiUsageRollup>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactAttributeValue> ContactAttributes => Set<ContactAttributeValue>();
    public DbSet<ContactTag> ContactTags => Set<ContactTag>();
    public DbSet<Emails.EmailMessage> EmailMessages => Set<Emails.EmailMessage>();
    public DbSet<Emails.EmailRecipient> EmailRecipients => Set<Emails.EmailRecipient>();
    public DbSet<Emails.Attachments.EmailAttachment> EmailAttachments => Set<Emails.Attachments.EmailAttachment>();
    public DbSet<Emails.EmailEvent> EmailEvents => Set<Emails.EmailEvent>();
    public DbSet<Emails.DeliveryAttempt> DeliveryAttempts => Set<Emails.DeliveryAttempt>();
    public DbSet<Tracking.TrackingWindow> TrackingWindows => Set<Tracking.TrackingWindow>();
    public DbSet<Http.Idempotency.IdempotencyRecord> IdempotencyRecords => Set<Http.Idempotency.IdempotencyRecord>();
    public DbSet<EmailTemplate> EmailTemplates => Set<EmailTemplate>();
    public DbSet<Suppression> Suppressions => Set<Suppression>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<Installation.InstallationMessage> InstallationMail => Set<Installation.InstallationMessage>();
    public DbSet<Alerts.AlertOccurrence> AlertOccurrences => Set<Alerts.AlertOccurrence>();
    public DbSet<Domains.SendingDomain> SendingDomains => Set<Domains.SendingDomain>();
    public DbSet<Alerts.TenantAlertSetting> TenantAlertSettings => Set<Alerts.TenantAlertSetting>();
    public DbSet<Esp.EspSettings> EspSettings => Set<Esp.EspSettings>();
    public DbSet<Esp.EspReceipt> EspReceipts => Set<Esp.EspReceipt>();
    public DbSet<Webhooks.WebhookEndpoint> WebhookEndpoints => Set<Webhooks.WebhookEndpoint>();
    public DbSet<Webhooks.WebhookEvent> WebhookEvents => Set<Webhooks.WebhookEvent>();
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();
    public DbSet<Bounces.BounceMail> BounceMail => Set<Bounces.BounceMail>();
    public DbSet<Bounces.BounceMailboxLease> BounceMailboxLeases => Set<Bounces.BounceMailboxLease>();
    public DbSet<Portal.Sessions.PortalSessionRecord> PortalSessions => Set<Portal.Sessions.PortalSessionRecord>();

    /// <summary>Read by the query filters at query time; null matches no tenant-owned row.</summary>
    internal Guid? CurrentTenantId => tenant.TenantId;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        var modelBuilder = builder;
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDb).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(ITenantOwned).IsAssignableFrom(entity.ClrType))
            {
                entity.SetQueryFilter(TenantFilter(entity.ClrType));
                entity.FindProperty(nameof(ITenantOwned.TenantId))!.SetColumnName("tenant_id");
            }
        }

        SnakeCaseNames.Apply(modelBuilder);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenantOwnership();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardTenantOwnership();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    private void GuardTenantOwnership()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
            {
                entry.Entity.TenantId = tenant.TenantId
                    ?? throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} was added outside a tenant scope.");
            }

            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity.TenantId != tenant.TenantId)
            {
                throw new InvalidOperationException($"A {entry.Metadata.ClrType.Name} of another tenant cannot be saved.");
            }
        }
    }

    private LambdaExpression TenantFilter(Type type)
    {
        var row = Expression.Parameter(type, "row");
        var rowTenant = Expression.Convert(Expression.Property(row, nameof(ITenantOwned.TenantId)), typeof(Guid?));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentTenantId));
        return Expression.Lambda(Expression.Equal(rowTenant, current), row);
    }
}
