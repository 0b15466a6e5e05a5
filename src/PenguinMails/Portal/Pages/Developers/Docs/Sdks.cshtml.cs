using PenguinMails.Portal.Docs;

namespace PenguinMails.Portal.Pages.Developers.Docs;

/// <summary>
/// <c>/dashboard/settings/developers/docs/sdks</c>: the docs' "SDKs &amp; Libraries" — the four SDKs this server serves
/// under <c>/sdks/</c>, with install commands from its public base URL and a first call each.
/// </summary>
public sealed class SdksModel(ApiReference reference, PublicBaseUrl baseUrl) : DocsPageModel(reference, baseUrl)
{
    public IReadOnlyList<SdkPackage> Packages { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await LoadReferenceAsync();
        Packages = SdkInstall.For(BaseUrl);
    }
}
