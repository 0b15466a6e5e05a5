using Microsoft.Extensions.DependencyInjection;
using PenguinMails.Data;
using PenguinMails.Emails;

namespace PenguinMails.Tests.Portal;

/// <summary>
/// Messages as the intake and the dispatcher leave them, written straight into a tenant's database (set-based, through
/// <see cref="BulkInsert"/>): the email log's and the message page's tests need thousands without sending them.
/// Deterministic: the same arguments give the same rows.
/// </summary>
internal static class ActivitySeed
{
    public static EmailMessage Message(Guid tenant, DateTime at, string to, EmailStatus status = EmailStatus.Sent, string subject = "Hello",
        string[]? tags = null, Guid? campaign = null, bool test = false, RecipientStatus? recipient = null, string? detail = null,
        DateTime? scheduled = null)
    {
        var id = Guid.CreateVersion7(at);
        return new EmailMessage
        {
            Id = id, TenantId = tenant, From = "Acme <news@example.com>", Subject = subject, TextBody = "Hi", Tags = [.. tags ?? []],
            Status = status, CreatedAt = at, NextAttemptAt = scheduled ?? at, ScheduledAt = scheduled, DeliverBy = at.AddDays(3), SentAt = status == EmailStatus.Sent ? at.AddSeconds(2) : null,
            Attempts = status is EmailStatus.Queued or EmailStatus.Suppressed ? 0 : 1, CampaignId = campaign, IsTest = test,
            Recipients =
            [
                new EmailRecipient
                {
                    TenantId = tenant, MessageId = id, Kind = RecipientKind.To, Address = to, Email = to.ToLowerInvariant(),
                    Status = recipient ?? RecipientFor(status), Detail = detail,
                },
            ],
        };
    }

    /// <summary><paramref name="count"/> messages over the 30 days before <paramref name="end"/>: mostly sent, some bounced, failed, suppressed, deferred; a tenth test, a fifth in one of two campaigns.</summary>
    public static List<EmailMessage> Many(Guid tenant, DateTime end, int count, Guid[] campaigns, int seed = 14)
    {
        var random = new Random(seed);
        var rows = new List<EmailMessage>(count);
        for (var i = 0; i < count; i++)
        {
            var at = end - TimeSpan.FromSeconds(1 + random.Next(30 * 24 * 3600));
            var status = random.Next(100) switch
            {
                < 80 => EmailStatus.Sent,
                < 88 => EmailStatus.Bounced,
                < 92 => EmailStatus.Failed,
                < 96 => EmailStatus.Suppressed,
                < 98 => EmailStatus.Deferred,
                _ => EmailStatus.Queued,
            };
            var campaign = random.Next(5) == 0 ? campaigns[random.Next(campaigns.Length)] : (Guid?)null;
            rows.Add(Message(tenant, at, $"person{i:D5}@example.net", status, $"Order #{10000 + i} has shipped",
                random.Next(3) == 0 ? ["orders"] : random.Next(2) == 0 ? ["receipts", "billing"] : [], campaign, test: campaign is null && random.Next(10) == 0,
                detail: status == EmailStatus.Bounced ? "550 5.1.1 <person@example.net>: Recipient address rejected: User unknown" : null));
        }

        return rows;
    }

    /// <summary>Writes the messages (their recipients, events and attempts) in the tenant, through the server's own database.</summary>
    public static Task SeedAsync(this Infrastructure.PenguinMailsFactory app, Guid tenant, IReadOnlyCollection<EmailMessage> messages,
        IReadOnlyCollection<EmailEvent>? events = null, IReadOnlyCollection<DeliveryAttempt>? attempts = null) =>
        app.InTenantAsync(tenant, async sp =>
        {
            await WriteAsync(sp.GetRequiredService<AppDb>(), messages, events, attempts);
            return true;
        });

    /// <summary>Writes the messages, their recipients and <paramref name="events"/> in one transaction.</summary>
    public static async Task WriteAsync(AppDb db, IReadOnlyCollection<EmailMessage> messages, IReadOnlyCollection<EmailEvent>? events = null,
        IReadOnlyCollection<DeliveryAttempt>? attempts = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        await BulkInsert.WriteAsync(db, messages, default);
        await BulkInsert.WriteAsync(db, messages.SelectMany(m => m.Recipients).ToList(), default);
        await BulkInsert.WriteAsync(db, events ?? [], default);
        await BulkInsert.WriteAsync(db, attempts ?? [], default);
        await transaction.CommitAsync();
    }

    private static RecipientStatus RecipientFor(EmailStatus status) => status switch
    {
        EmailStatus.Sent => RecipientStatus.Sent,
        EmailStatus.Bounced => RecipientStatus.Bounced,
        EmailStatus.Failed => RecipientStatus.Failed,
        EmailStatus.Suppressed => RecipientStatus.Suppressed,
        EmailStatus.Cancelled => RecipientStatus.Cancelled,
        _ => RecipientStatus.Pending,
    };
}
