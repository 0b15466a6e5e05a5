using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace PenguinMails.Sdks;

/// <summary>
/// A NuGet v3 feed of one package (https://learn.microsoft.com/nuget/api/overview): the service index
/// <c>/sdks/dotnet/index.json</c> names a <c>PackageBaseAddress/3.0.0</c> resource, the flat container
/// <c>/sdks/dotnet/v3-flatcontainer/</c> with <c>{id}/index.json</c> (versions), <c>{id}/{version}/{id}.{version}.nupkg</c>
/// and <c>{id}/{version}/{id}.nuspec</c>, ids and versions lower-case. The .nupkg is the one the server's build packed
/// (<c>dotnet pack</c> of sdks/dotnet/src/PenguinMails.Client); its id and version are read from its own .nuspec.
/// A <c>RegistrationsBaseUrl/3.6.0</c> resource (<c>/sdks/dotnet/registration/{id}/index.json</c>) gives the package's
/// metadata too: <c>dotnet add package</c> without <c>--version</c> asks it for the latest version.
/// </summary>
public static class NuGetFeed
{
    public const string FlatContainer = "dotnet/v3-flatcontainer/";

    public const string Registration = "dotnet/registration/";

    /// <summary>What the registration resource tells of the package (from its .nuspec).</summary>
    public sealed record Metadata(string Id, string Version, string Description, string Authors,
        IReadOnlyList<(string Framework, IReadOnlyList<(string Id, string Range)> Dependencies)> Groups);

    public static (SdkPackage Package, Metadata Metadata) Build(string nupkgPath)
    {
        var bytes = File.ReadAllBytes(nupkgPath);
        byte[] nuspec;
        using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
        {
            var entry = zip.Entries.SingleOrDefault(e => !e.FullName.Contains('/', StringComparison.Ordinal)
                    && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidDataException($"{nupkgPath} has no .nuspec at its root.");
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            nuspec = copy.ToArray();
        }

        var metadata = XDocument.Load(new MemoryStream(nuspec)).Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "metadata")
            ?? throw new InvalidDataException($"{nupkgPath}: the .nuspec has no metadata.");
        var id = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "id")?.Value
            ?? throw new InvalidDataException($"{nupkgPath}: the .nuspec has no id.");
        var version = metadata.Elements().FirstOrDefault(e => e.Name.LocalName == "version")?.Value
            ?? throw new InvalidDataException($"{nupkgPath}: the .nuspec has no version.");
        var lowerId = id.ToLowerInvariant();
        var lowerVersion = version.ToLowerInvariant();
        var groups = metadata.Descendants().Where(e => e.Name.LocalName == "group").Select(g =>
            (g.Attribute("targetFramework")?.Value ?? "",
             (IReadOnlyList<(string, string)>)g.Elements().Where(d => d.Name.LocalName == "dependency")
                .Select(d => (d.Attribute("id")?.Value ?? "", d.Attribute("version")?.Value ?? "")).ToList())).ToList();
        string Field(string name) => metadata.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
        var versions = new JsonObject { ["versions"] = new JsonArray(lowerVersion) }.ToJsonString();
        var package = new SdkPackage("dotnet", id, version,
        [
            new SdkFile($"dotnet/{id}.{version}.nupkg", "application/octet-stream", bytes),
            new SdkFile($"{FlatContainer}{lowerId}/index.json", "application/json", System.Text.Encoding.UTF8.GetBytes(versions)),
            new SdkFile($"{FlatContainer}{lowerId}/{lowerVersion}/{lowerId}.{lowerVersion}.nupkg", "application/octet-stream", bytes),
            new SdkFile($"{FlatContainer}{lowerId}/{lowerVersion}/{lowerId}.nuspec", "application/xml", nuspec),
        ], $"dotnet nuget add source {{base}}/sdks/dotnet/index.json --name penguinmails\ndotnet add package {id}");
        return (package, new Metadata(id, version, Field("description"), Field("authors"), groups));
    }

    /// <summary>The registration index of the package (one page, inlined), its URLs under <paramref name="sdksUrl"/>.</summary>
    public static string RegistrationIndex(Metadata package, string sdksUrl)
    {
        var (id, version) = (package.Id.ToLowerInvariant(), package.Version.ToLowerInvariant());
        var index = $"{sdksUrl}{Registration}{id}/index.json";
        var content = $"{sdksUrl}{FlatContainer}{id}/{version}/{id}.{version}.nupkg";
        var groups = new JsonArray(package.Groups.Select(g => (JsonNode)new JsonObject
        {
            ["targetFramework"] = g.Framework,
            ["dependencies"] = new JsonArray(g.Dependencies.Select(d => (JsonNode)new JsonObject { ["id"] = d.Id, ["range"] = d.Range }).ToArray()),
        }).ToArray());
        var leaf = new JsonObject
        {
            ["@id"] = $"{sdksUrl}{Registration}{id}/{version}.json",
            ["catalogEntry"] = new JsonObject
            {
                ["@id"] = $"{sdksUrl}{Registration}{id}/{version}.json#catalog",
                ["id"] = package.Id, ["version"] = package.Version, ["listed"] = true, ["description"] = package.Description,
                ["authors"] = package.Authors, ["licenseExpression"] = "MIT", ["packageContent"] = content, ["dependencyGroups"] = groups,
            },
            ["packageContent"] = content,
            ["registration"] = index,
        };
        return new JsonObject
        {
            ["@id"] = index,
            ["count"] = 1,
            ["items"] = new JsonArray(new JsonObject
            {
                ["@id"] = $"{index}#page/{version}/{version}", ["count"] = 1, ["lower"] = version, ["upper"] = version,
                ["items"] = new JsonArray(leaf),
            }),
        }.ToJsonString();
    }

    /// <summary>The service index, its resource under <paramref name="sdksUrl"/> (the absolute /sdks/ URL).</summary>
    public static string ServiceIndex(string sdksUrl) => new JsonObject
    {
        ["version"] = "3.0.0",
        ["resources"] = new JsonArray(new JsonObject
        {
            ["@id"] = sdksUrl + FlatContainer,
            ["@type"] = "PackageBaseAddress/3.0.0",
            ["comment"] = "The SDK packages this PenguinMails server serves (flat container).",
        }, new JsonObject
        {
            ["@id"] = sdksUrl + Registration,
            ["@type"] = "RegistrationsBaseUrl/3.6.0",
            ["comment"] = "The packages' metadata (registration index).",
        }),
    }.ToJsonString();
}
