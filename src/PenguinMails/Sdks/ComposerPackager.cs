using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PenguinMails.Sdks;

/// <summary>
/// Builds the PHP SDK's Composer package: a zip of composer.json, README, LICENSE and <c>src/</c> (the package root at
/// the zip's root), and the repository's <c>packages.json</c> entry for it (https://getcomposer.org/doc/05-repositories.md
/// "packages"), whose <c>dist.url</c> is made absolute per request (<see cref="PackagesJson"/>).
/// </summary>
public static class ComposerPackager
{
    // What a consumer's Composer needs of composer.json; dev-only keys stay out of the published metadata.
    private static readonly string[] Documents = ["README.md", "LICENSE"];

    private static readonly string[] DevOnly = ["autoload-dev", "require-dev", "config", "scripts", "minimum-stability", "prefer-stable"];

    public static (SdkPackage Package, JsonObject Metadata) Build(string directory)
    {
        var manifest = JsonNode.Parse(File.ReadAllBytes(Path.Combine(directory, "composer.json")))?.AsObject()
            ?? throw new InvalidDataException("composer.json is not a JSON object.");
        var name = (string?)manifest["name"] ?? throw new InvalidDataException("composer.json has no name.");
        var version = (string?)manifest["version"] ?? throw new InvalidDataException("composer.json has no version.");
        var entries = new List<(string, byte[])> { ("composer.json", File.ReadAllBytes(Path.Combine(directory, "composer.json"))) };
        foreach (var file in Documents.Where(f => File.Exists(Path.Combine(directory, f))))
        {
            entries.Add((file, File.ReadAllBytes(Path.Combine(directory, file))));
        }

        entries.AddRange(Archives.FilesUnder(Path.Combine(directory, "src")).Select(f => ($"src/{f}", File.ReadAllBytes(Path.Combine(directory, "src", f)))));
        var zip = Archives.Zip(entries);
        var fileName = $"{name.Replace('/', '-')}-{version}.zip";
        var metadata = (JsonObject)manifest.DeepClone();
        foreach (var key in DevOnly)
        {
            metadata.Remove(key);
        }

        metadata["version_normalized"] = version + (version.Count(c => c == '.') == 2 ? ".0" : "");
        metadata["dist"] = new JsonObject
        {
            ["type"] = "zip",
            ["url"] = $"php/{fileName}",
            // Composer's dist.shasum is defined as SHA-1: a download checksum, not a signature.
#pragma warning disable CA5350
            ["shasum"] = Convert.ToHexStringLower(SHA1.HashData(zip)),
#pragma warning restore CA5350
        };
        var package = new SdkPackage("php", name, version, [new SdkFile($"php/{fileName}", "application/zip", zip)],
            $"composer config repositories.penguinmails composer {{base}}/sdks/php && composer require {name}");
        return (package, metadata);
    }

    /// <summary>The repository's packages.json, its dist URL under <paramref name="sdksUrl"/> (the absolute /sdks/ URL).</summary>
    public static string PackagesJson(JsonObject metadata, string sdksUrl)
    {
        var version = (JsonObject)metadata.DeepClone();
        version["dist"]!["url"] = sdksUrl + (string)version["dist"]!["url"]!;
        var document = new JsonObject
        {
            ["packages"] = new JsonObject { [(string)metadata["name"]!] = new JsonObject { [(string)metadata["version"]!] = version } },
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
