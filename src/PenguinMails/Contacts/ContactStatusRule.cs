namespace PenguinMails.Contacts;

/// <summary>
/// Which status changes a caller may make. Anything may become unsubscribed, bounced or complained. Back to
/// subscribed: from unsubscribed freely; from bounced or complained only with <c>force</c>, because mailing an
/// address that hard-bounced or complained harms the sender's reputation.
/// </summary>
public static class ContactStatusRule
{
    public static string? Refusal(ContactStatus current, ContactStatus wanted, bool force) =>
        wanted == ContactStatus.Subscribed && current is ContactStatus.Bounced or ContactStatus.Complained && !force
            ? $"The address is {ContactRules.StatusName(current)}; send \"force\": true to subscribe it again."
            : null;
}
