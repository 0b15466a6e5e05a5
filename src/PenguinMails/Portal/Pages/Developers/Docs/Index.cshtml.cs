using PenguinMails.Portal.Docs;

namespace PenguinMails.Portal.Pages.Developers.Docs;

/// <summary>
/// <c>/dashboard/settings/developers/docs</c>: the spec's "API Docs" (api-access-routes.md
/// "<c>/dashboard/settings/developers/docs</c>"), its start page: base URL, first request, the guides, every endpoint
/// group, and the send example in every language (the overview's "Explore Code Examples" lands here).
/// </summary>
public sealed class IndexModel(ApiReference reference, PublicBaseUrl baseUrl) : DocsPageModel(reference, baseUrl)
{
    public IReadOnlyList<CodeSample> SendSamples { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await LoadReferenceAsync();
        SendSamples = Reference.Find("sendEmail") is { } send ? CodeSamples.For(send, BaseUrl, Reference.Schemas) : [];
    }
}
