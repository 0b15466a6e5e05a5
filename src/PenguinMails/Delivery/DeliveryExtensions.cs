using PenguinMails.Emails;
using PenguinMails.Http.Idempotency;

namespace PenguinMails.Delivery;

public static class DeliveryExtensions
{
    /// <summary>The send API, the durable queue and its dispatcher, tracking.</summary>
    public static IServiceCollection AddEmails(this IServiceCollection services)
    {
        services.AddIdempotencyKeys();
        services.AddScoped<EmailIntake>();
        services.AddSingleton<IntakeWriter>();
        services.AddScoped<EmailContent>();
        services.AddSingleton<DispatchSignal>();
        services.AddSingleton<WriteGate>();
        services.AddSingleton<QueueClaims>();
        services.AddSingleton<LeasedMessages>();
        services.AddSingleton<MessageComposer>();
        services.AddSingleton<Emails.Attachments.AttachmentParts>();
        services.AddSingleton<Emails.Attachments.AttachmentRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Emails.Attachments.AttachmentRetention>());
        services.AddSingleton<DeliveryRecorder>();
        services.AddSingleton<MessageDelivery>();
        services.AddHostedService<EmailDispatcher>();
        services.AddScoped<Installation.InstallationMail>();
        services.AddHostedService<Installation.InstallationMailSender>();
        services.AddSingleton<Installation.InstallationMailRetention>();
        services.AddHostedService(sp => sp.GetRequiredService<Installation.InstallationMailRetention>());
        return services;
    }
}
