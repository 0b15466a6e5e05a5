using PenguinMails.Tenancy;

namespace PenguinMails.Templates;

/// <summary>
/// A tenant's email template, addressed by its slug (<c>welcome-v1</c>). Subject, HTML and text are
/// Handlebars; they were compiled and checked when saved (docs/decisions/0005-templates-handlebars.md).
/// </summary>
public sealed class EmailTemplate : ITenantOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TenantId { get; set; }
    public required string Slug { get; init; }
    public required string Name { get; set; }
    public required string Subject { get; set; }
    public required string HtmlBody { get; set; }
    public string? TextBody { get; set; }

    /// <summary>Declared variables; they override what is inferred from the template text (required or optional).</summary>
    public List<TemplateVariable> Variables { get; set; } = [];

    /// <summary>Raised on every change; the compiled form is cached by (id, version, updated_at).</summary>
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A variable a template declares: whether a send must give it, and what it is for.</summary>
public sealed record TemplateVariable(string Name, bool Required = true, string? Description = null);
