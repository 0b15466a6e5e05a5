using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using PenguinMails.Http;

namespace PenguinMails.Templates;

public sealed record CreateTemplateRequest
{
    [Required(ErrorMessage = "slug is required."), RegularExpression(TemplateRules.SlugPattern, ErrorMessage = TemplateRules.SlugMessage)]
    public string Slug { get; init; } = "";

    [Required(ErrorMessage = "name is required."), TextLength(200, MinimumLength = 1, ErrorMessage = "name must have 1 to 200 characters."), OneLine]
    public string Name { get; init; } = "";

    [Required(ErrorMessage = "subject is required."), TextLength(TemplateRules.SubjectMaxLength, MinimumLength = 1, ErrorMessage = "subject must have 1 to 998 characters.")]
    public string Subject { get; init; } = "";

    [Required(ErrorMessage = "html_body is required."), TextLength(TemplateRules.BodyMaxLength, MinimumLength = 1, ErrorMessage = "html_body must have 1 to 500000 characters.")]
    public string HtmlBody { get; init; } = "";

    [TextLength(TemplateRules.BodyMaxLength, ErrorMessage = "text_body must have at most 500000 characters.")]
    public string? TextBody { get; init; }

    [MaxLength(100, ErrorMessage = "variables may list at most 100 entries.")]
    public List<TemplateVariable>? Variables { get; init; }
}

/// <summary>Changes to a template; absent fields stay. An empty text_body removes the text part. The slug never changes.</summary>
[PartialUpdate]
public sealed record UpdateTemplateRequest
{
    [TextLength(200, MinimumLength = 1, ErrorMessage = "name must have 1 to 200 characters."), OneLine]
    public string? Name { get; init; }

    [TextLength(TemplateRules.SubjectMaxLength, MinimumLength = 1, ErrorMessage = "subject must have 1 to 998 characters.")]
    public string? Subject { get; init; }

    [TextLength(TemplateRules.BodyMaxLength, MinimumLength = 1, ErrorMessage = "html_body must have 1 to 500000 characters.")]
    public string? HtmlBody { get; init; }

    [TextLength(TemplateRules.BodyMaxLength, ErrorMessage = "text_body must have at most 500000 characters."), NullClears]
    public string? TextBody { get; init; }

    [MaxLength(100, ErrorMessage = "variables may list at most 100 entries.")]
    public List<TemplateVariable>? Variables { get; init; }
}

public sealed record PreviewTemplateRequest
{
    public Dictionary<string, JsonNode?>? Variables { get; init; }
}

public sealed record TemplatePreview(string Subject, string Html, string? Text);

public sealed record TemplateResponse(
    Guid Id,
    string Slug,
    string Name,
    string Subject,
    string HtmlBody,
    string? TextBody,
    IReadOnlyList<TemplateVariable> Variables,
    IReadOnlyList<string> RequiredVariables,
    int Version,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static TemplateResponse From(EmailTemplate t) => new(
        t.Id, t.Slug, t.Name, t.Subject, t.HtmlBody, t.TextBody, t.Variables,
        TemplateEngine.For(t).Required, t.Version, t.CreatedAt, t.UpdatedAt);
}

/// <summary>A template in a list: everything but the bodies.</summary>
public sealed record TemplateSummary(
    Guid Id, string Slug, string Name, string Subject, IReadOnlyList<TemplateVariable> Variables, int Version,
    DateTime CreatedAt, DateTime UpdatedAt)
{
    public static TemplateSummary From(EmailTemplate t) =>
        new(t.Id, t.Slug, t.Name, t.Subject, t.Variables, t.Version, t.CreatedAt, t.UpdatedAt);
}
