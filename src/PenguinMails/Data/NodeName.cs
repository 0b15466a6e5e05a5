namespace PenguinMails.Data;

/// <summary>
/// This server instance's name in the leases it takes (queued messages, campaign fan-outs) and in delivery attempts:
/// host, process and a random part, so that two instances in one process (tests) are two nodes too.
/// </summary>
public sealed class NodeName
{
    public string Value { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    public override string ToString() => Value;
}
