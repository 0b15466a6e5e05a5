namespace PenguinMails.Tenancy;

public sealed class Tenant
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Slug { get; init; }
    public Plan Plan { get; set; } = Plan.Starter;

    /// <summary>Sender of messages whose request names no <c>from</c>; null = PenguinMails:Emails:DefaultFrom.</summary>
    public string? DefaultFrom { get; set; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

public enum Plan
{
    Starter,
    Professional,
    Business,
}
