using PenguinMails.Suppressions;

namespace PenguinMails.Contacts;

/// <summary>
/// Which status changes a caller may make. Anything may become unsubscribed, bounced or complained. Back to
/// subscribed: from unsubscribed (or a manual/unsubscribe suppression) freely; from bounced or complained, or while
/// the address is suppressed for a hard bounce or a complaint, only with <c>force</c>, because mailing such an
/// address harms the sender's reputation.
/// </summary>
public static class ContactStatusRule
{
    public static string? Refusal(ContactStatus? current, ContactStatus wanted, bool force, SuppressionReason? suppressed)
    {
        if (wanted != ContactStatus.Subscribed || force)
        {
            return null;
        }

        if (current is ContactStatus.Bounced or ContactStatus.Complained)
        {
            return $"The address is {ContactRules.StatusName(current.Value)}; send \"force\": true to subscribe it again.";
        }

        return suppressed is SuppressionReason.HardBounce or SuppressionReason.Complaint
            ? $"The address is on the suppression list for a {(suppressed == SuppressionReason.HardBounce ? "hard bounce" : "complaint")}; send \"force\": true to subscribe it again."
            : null;
    }
}
