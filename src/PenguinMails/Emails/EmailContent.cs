using PenguinMails.Http;
using PenguinMails.Templates;

namespace PenguinMails.Emails;

public sealed record RenderedContent(string Subject, string? Html, string? Text);

/// <summary>
/// The subject and bodies of a message: given inline, or rendered once, at acceptance, from the tenant's template
/// with the request's variables (a later edit of the template does not change a message already accepted).
/// </summary>
public sealed class EmailContent(TemplateRenderer templates)
{
    public async Task<(RenderedContent? Content, ApiError? Error)> ResolveAsync(EmailDraft draft, string fieldPrefix, CancellationToken ct)
    {
        if (draft.TemplateId is not { } slug)
        {
            return (new RenderedContent(draft.Subject!, draft.HtmlBody, draft.TextBody), null);
        }

        return await templates.RenderAsync(slug, draft.Variables, ct) switch
        {
            // A subject is stored and sent whole: the variables may not make it longer than a subject may be.
            TemplateRenderResult.Rendered r when draft.Subject is null && TextLengthAttribute.Count(r.Subject) > TemplateRules.SubjectMaxLength =>
                (null, new ApiError(ErrorCodes.ValidationError, null, [new ErrorDetail(fieldPrefix + "subject",
                    $"The template's subject renders to {TextLengthAttribute.Count(r.Subject)} characters with these variables; at most {TemplateRules.SubjectMaxLength}.")])),
            // Inline fields, when given beside a template, win over its parts.
            TemplateRenderResult.Rendered r => (new RenderedContent(draft.Subject ?? r.Subject, draft.HtmlBody ?? r.Html, draft.TextBody ?? r.Text), null),
            TemplateRenderResult.NotFound missing => (null, missing.ToError(fieldPrefix + "template_id")),
            TemplateRenderResult.MissingVariables missing => (null, Prefixed(missing.ToError(), fieldPrefix)),
            var other => throw new InvalidOperationException($"Unexpected template result {other}."),
        };
    }

    /// <summary>422 TEMPLATE_NOT_FOUND when the tenant has no template <paramref name="slug"/>; null when it has.</summary>
    public async Task<ApiError?> FindTemplateErrorAsync(string slug, string fieldPrefix, CancellationToken ct) =>
        await templates.ExistsAsync(slug, ct) ? null : new TemplateRenderResult.NotFound(slug).ToError(fieldPrefix + "template_id");

    private static ApiError Prefixed(ApiError error, string prefix) =>
        prefix.Length == 0 ? error : new ApiError(error.Code, error.Message, error.Details.Select(d => d with { Field = prefix + d.Field }).ToList());
}
