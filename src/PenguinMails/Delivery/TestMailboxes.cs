namespace PenguinMails.Delivery;

public enum SimulatedOutcome
{
    Delivered,
    Bounced,
    Complained,
}

/// <summary>
/// The reserved test domain: mail to it never leaves the server, whatever the key. <c>delivered@</c>,
/// <c>bounced@</c> and <c>complained@test.penguinmails.dev</c> (also with a <c>+suffix</c>) produce those outcomes
/// and their events; any other address there is delivered. Messages sent with a <c>pm_test_</c> key are simulated
/// for every recipient: addresses outside this domain are marked sent without being delivered.
/// </summary>
public static class TestMailboxes
{
    public const string Domain = "test.penguinmails.dev";

    public static bool IsReserved(string email) => email.EndsWith("@" + Domain, StringComparison.OrdinalIgnoreCase);

    public static SimulatedOutcome OutcomeFor(string email)
    {
        var local = email[..email.IndexOf('@', StringComparison.Ordinal)].ToLowerInvariant();
        var plus = local.IndexOf('+', StringComparison.Ordinal);
        return (plus >= 0 ? local[..plus] : local) switch
        {
            "bounced" => SimulatedOutcome.Bounced,
            "complained" => SimulatedOutcome.Complained,
            _ => SimulatedOutcome.Delivered,
        };
    }
}
