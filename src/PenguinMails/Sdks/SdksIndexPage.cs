using System.Globalization;
using System.Net;
using System.Text;

namespace PenguinMails.Sdks;

/// <summary>The HTML of <c>/sdks/</c>: per SDK its package name, version, install command and files (size, SHA-256).</summary>
public static class SdksIndexPage
{
    private static readonly Dictionary<string, (string Title, string Requires)> Languages = new()
    {
        ["node"] = ("Node.js", "Node 20"),
        ["python"] = ("Python", "Python 3.11"),
        ["php"] = ("PHP", "PHP 8.2 with the curl extension"),
        ["dotnet"] = (".NET", ".NET 10"),
    };

    public static string Render(IReadOnlyList<SdkPackage> packages, string baseUrl)
    {
        var sections = new StringBuilder();
        foreach (var package in packages)
        {
            var (title, requires) = Languages.GetValueOrDefault(package.Language, (package.Language, ""));
            sections.Append(CultureInfo.InvariantCulture, $"""
                <section id="{package.Language}" aria-labelledby="{package.Language}-title">
                  <h2 id="{package.Language}-title">{E(title)} <small><code>{E(package.Name)}</code> {E(package.Version)}</small></h2>
                  <p>Requires {E(requires)}.</p>
                """);
            if (package.Problem is not null)
            {
                sections.Append("<p class=\"missing\"><strong>Not available on this server:</strong> its package could not be built (the server's log says why).</p>");
            }
            else
            {
                sections.Append(CultureInfo.InvariantCulture, $"<p>Install:</p><pre><code>{E(package.InstallCommand.Replace("{base}", baseUrl, StringComparison.Ordinal).Replace(" && ", "\n", StringComparison.Ordinal))}</code></pre><ul>");
                foreach (var file in package.Files.Where(f => !f.Path.StartsWith(NuGetFeed.FlatContainer, StringComparison.Ordinal)))
                {
                    sections.Append(CultureInfo.InvariantCulture,
                        $"<li><a href=\"/sdks/{E(file.Path)}\">{E(file.Path[(file.Path.LastIndexOf('/') + 1)..])}</a> — {file.Content.Length:N0} bytes, SHA-256 <code class=\"hash\">{file.Sha256}</code></li>");
                }

                sections.Append(package.Language switch
                {
                    "php" => "<li><a href=\"/sdks/php/packages.json\">packages.json</a> — the Composer repository</li>",
                    "dotnet" => "<li><a href=\"/sdks/dotnet/index.json\">index.json</a> — the NuGet v3 feed</li>",
                    _ => "",
                }).Append("</ul>");
            }

            sections.Append("</section>");
        }

        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>PenguinMails SDKs</title>
            <style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
            section{border-top:1px solid #ddd;padding:.5rem 0}small{color:#555;font-weight:normal}
            pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}code.hash{word-break:break-all;font-size:.85em}</style>
            </head><body>
            <h1>PenguinMails SDKs</h1>
            <p>The client libraries for this server's API, served by the server itself: every package is version 1.0.0, MIT-licensed,
            and installs from here without any public registry. Their documentation: each package's README, and the
            <a href="/docs/api">API reference</a>.</p>
            {{sections}}
            </body></html>
            """;
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
