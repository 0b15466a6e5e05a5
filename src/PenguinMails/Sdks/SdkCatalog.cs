using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PenguinMails.Sdks;

/// <summary>
/// The packages served under <c>/sdks/</c>, built once in memory from the SDKs' files on first use (a second or so), then
/// kept for the process's life. A package that cannot be built (its sources or compiled output missing) is listed
/// with the reason on the index page and logged, and its files answer 404; the others are served.
/// </summary>
public sealed class SdkCatalog(IOptions<SdksOptions> options, ILogger<SdkCatalog> logger)
{
    private readonly Lazy<Built> _built = new(() => Build(options.Value, logger), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The four SDKs, in the order the index lists them.</summary>
    public IReadOnlyList<SdkPackage> Packages => _built.Value.Packages;

    /// <summary>The Composer metadata of the PHP package (dist URL relative to /sdks/), null when it is not available.</summary>
    public JsonObject? ComposerMetadata => _built.Value.Composer;

    /// <summary>The NuGet registration metadata of the .NET package, null when it is not available.</summary>
    public NuGetFeed.Metadata? NuGet => _built.Value.NuGet;

    /// <summary>A served file by its path below /sdks/ (flat-container paths are matched case-insensitively, as NuGet asks).</summary>
    public SdkFile? Find(string path) => _built.Value.Files.GetValueOrDefault(path);

    private sealed record Built(IReadOnlyList<SdkPackage> Packages, Dictionary<string, SdkFile> Files, JsonObject? Composer,
        NuGetFeed.Metadata? NuGet);

    private static Built Build(SdksOptions options, ILogger logger)
    {
        var directory = options.ResolveDirectory();
        var packagesDirectory = options.ResolvePackagesDirectory();
        JsonObject? composer = null;
        NuGetFeed.Metadata? nuget = null;
        var packages = new List<SdkPackage>
        {
            Try("node", "@penguinmails/sdk", "npm install {base}/sdks/node/penguinmails-sdk-1.0.0.tgz",
                () => NodePackager.Build(Path.Combine(directory, "node")), logger),
            Try("python", "penguinmails", "pip install {base}/sdks/python/penguinmails-1.0.0-py3-none-any.whl",
                () => PythonPackager.Build(Path.Combine(directory, "python")), logger),
            Try("php", "penguinmails/sdk", "composer require penguinmails/sdk", () =>
            {
                var (package, metadata) = ComposerPackager.Build(Path.Combine(directory, "php"));
                composer = metadata;
                return package;
            }, logger),
            Try("dotnet", "PenguinMails.Client", "dotnet nuget add source {base}/sdks/dotnet/index.json --name penguinmails\ndotnet add package PenguinMails.Client",
                () =>
                {
                    var (package, metadata) = NuGetFeed.Build(Nupkg(packagesDirectory));
                    nuget = metadata;
                    return package;
                }, logger),
        };
        var files = new Dictionary<string, SdkFile>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in packages.SelectMany(p => p.Files))
        {
            files[file.Path] = file;
        }

        logger.LogInformation("SDK packages built from {Directory}: {Available} of {Count} available", directory,
            packages.Count(p => p.Problem is null), packages.Count);
        return new Built(packages, files, composer, nuget);
    }

    private static string Nupkg(string directory)
    {
        var found = System.IO.Directory.Exists(directory)
            ? System.IO.Directory.GetFiles(directory, "PenguinMails.Client.*.nupkg").Where(f => !f.EndsWith(".symbols.nupkg", StringComparison.Ordinal)).ToList()
            : [];
        return found.Count == 1 ? found[0] : throw new FileNotFoundException(found.Count == 0
            ? $"No PenguinMails.Client .nupkg in {directory}: the server's build packs it (dotnet build src/PenguinMails) when sdks/dotnet exists."
            : $"Several PenguinMails.Client .nupkg files in {directory}: keep one.");
    }

    private static SdkPackage Try(string language, string name, string command, Func<SdkPackage> build, ILogger logger)
    {
        try
        {
            return build();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException
            or System.Text.Json.JsonException or System.Xml.XmlException or KeyNotFoundException)
        {
            logger.LogWarning("The {Language} SDK package is not available: {Reason}", language, e.Message);
            return new SdkPackage(language, name, "1.0.0", [], command, e.Message);
        }
    }
}
