using PenguinMails.Http;

namespace PenguinMails.Templates;

/// <summary>What rendering a template by slug gave: the three parts, no such template, or missing variables.</summary>
public abstract record TemplateRenderResult
{
    private TemplateRenderResult()
    {
    }

    /// <summary>Subject is one line (CR/LF from variables became spaces); Text is null when the template has none.</summary>
    public sealed record Rendered(string Subject, string Html, string? Text) : TemplateRenderResult;

    public sealed record NotFound(string Slug) : TemplateRenderResult
    {
        /// <summary>422 TEMPLATE_NOT_FOUND, for a send that names a template the tenant does not have.</summary>
        public ApiError ToError(string field = "template_id") => new(ErrorCodes.TemplateNotFound, null,
            [new ErrorDetail(field, $"No template with the slug '{Slug}'.")]);
    }

    /// <summary>The variable paths the template needs that were not given (<c>customer.name</c>), in order.</summary>
    public sealed record MissingVariables(IReadOnlyList<string> Names) : TemplateRenderResult
    {
        /// <summary>422 MISSING_TEMPLATE_VARIABLES, one detail per missing variable.</summary>
        public ApiError ToError() => new(ErrorCodes.MissingTemplateVariables,
            $"Missing template variables: {string.Join(", ", Names)}.",
            Names.Select(n => new ErrorDetail($"variables.{n}", $"The template needs the variable '{n}'.")).ToList());
    }
}
