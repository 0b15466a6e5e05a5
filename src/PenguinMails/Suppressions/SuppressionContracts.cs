using System.ComponentModel.DataAnnotations;
using PenguinMails.Http;

namespace PenguinMails.Suppressions;

/// <summary>One address (<c>email</c>) or several (<c>emails</c>, up to 1000), with one reason (default manual).</summary>
public sealed record AddSuppressionsRequest : IValidatableObject
{
    public string? Email { get; init; }

    [MaxLength(MaxBatch, ErrorMessage = "emails may list at most 1000 addresses.")]
    public List<string>? Emails { get; init; }

    public SuppressionReason? Reason { get; init; }

    [TextLength(500, ErrorMessage = "note must have at most 500 characters.")]
    public string? Note { get; init; }

    public const int MaxBatch = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if ((Email is null) == (Emails is null))
        {
            yield return new("Send either email or emails.", ["email"]);
        }
        else if (Emails is { Count: 0 })
        {
            yield return new("emails must list at least one address.", ["emails"]);
        }
    }
}

public sealed record SuppressionResponse(Guid Id, string Email, SuppressionReason Reason, string? Source, string? Note, DateTime CreatedAt)
{
    public static SuppressionResponse From(Suppression s) => new(s.Id, s.Email, s.Reason, s.Source, s.Note, s.CreatedAt);
}

/// <summary>An address after an add: <c>already_suppressed</c> says it was on the list before, with the reason shown.</summary>
public sealed record AddedSuppression(SuppressionResponse Suppression, bool AlreadySuppressed, string Message)
{
    public static AddedSuppression From(Suppression row, bool added, SuppressionReason asked) => new(
        SuppressionResponse.From(row), !added,
        added ? "Suppressed."
        : row.Reason == asked ? "Already suppressed."
        : $"Already suppressed for {QueryChoices.Word(row.Reason)}; the first reason is kept.");
}

public sealed record AddedSuppressions(int Added, int AlreadySuppressed, IReadOnlyList<AddedSuppression> Results);
