using System.Reflection;
using PenguinMails.Portal.Docs;

namespace PenguinMails.Portal.Pages.Developers.Docs;

/// <summary><c>/dashboard/settings/developers/docs/changelog</c>: the repository's CHANGELOG.md (embedded in the executable), rendered.</summary>
public sealed class ChangelogModel(ApiReference reference, PublicBaseUrl baseUrl) : DocsPageModel(reference, baseUrl)
{
    private static readonly Lazy<string> Text = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("PenguinMails.CHANGELOG.md")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The changelog without its own top heading (the page has one).</summary>
    public string Markdown => string.Join('\n', Text.Value.Split('\n').SkipWhile(l => !l.StartsWith("# ", StringComparison.Ordinal)).Skip(1));

    public Task OnGetAsync() => LoadReferenceAsync();
}
