using PenguinMails.Http;

namespace PenguinMails.Emails;

public sealed record RenderedContent(string Subject, string? Html, string? Text);

/// <summary>The subject and bodies of a message: given inline, or rendered from a template with its variables.</summary>
public sealed class EmailContent
{
    public Task<(RenderedContent? Content, ApiError? Error)> ResolveAsync(EmailDraft draft, string fieldPrefix, CancellationToken ct)
    {
        if (draft.TemplateId is { } slug)
        {
            return Task.FromResult<(RenderedContent?, ApiError?)>((null, new ApiError(ErrorCodes.TemplateNotFound,
                $"No template '{slug}'.", [new ErrorDetail(fieldPrefix + "template_id", $"template_id '{slug}' does not exist.")])));
        }

        return Task.FromResult<(RenderedContent?, ApiError?)>((new RenderedContent(draft.Subject!, draft.HtmlBody, draft.TextBody), null));
    }
}
