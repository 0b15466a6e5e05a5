using System.Text.Json;

namespace PenguinMails.Sdks;

/// <summary>
/// Builds the Node SDK's npm tarball as <c>npm pack</c> lays it out: every file under <c>package/</c>, namely
/// package.json, README and LICENSE and whatever package.json's <c>files</c> names (directories whole). The compiled
/// <c>dist/</c> must exist (the server's build runs <c>npm ci &amp;&amp; npm run build</c> in sdks/node when it is missing).
/// </summary>
public static class NodePackager
{
    public static SdkPackage Build(string directory)
    {
        var manifestPath = Path.Combine(directory, "package.json");
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(manifestPath));
        var root = manifest.RootElement;
        var name = root.GetProperty("name").GetString() ?? throw new InvalidDataException("package.json has no name.");
        var version = root.GetProperty("version").GetString() ?? throw new InvalidDataException("package.json has no version.");
        var files = new SortedSet<string>(StringComparer.Ordinal) { "package.json" };
        foreach (var always in Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>())
        {
            if (always.StartsWith("README", StringComparison.OrdinalIgnoreCase) || always.StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(always);
            }
        }

        if (!root.TryGetProperty("files", out var listed) || listed.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("package.json has no \"files\" list: the package's contents must be named.");
        }

        foreach (var entry in listed.EnumerateArray().Select(e => e.GetString()?.Trim().TrimStart('.', '/').TrimEnd('/')))
        {
            if (string.IsNullOrEmpty(entry))
            {
                continue;
            }

            var pattern = entry.EndsWith("/**", StringComparison.Ordinal) ? entry[..^3] : entry;
            var path = Path.Combine(directory, pattern);
            if (File.Exists(path))
            {
                files.Add(pattern);
            }
            else if (Directory.Exists(path))
            {
                files.UnionWith(Archives.FilesUnder(path).Select(f => $"{pattern}/{f}"));
            }
            else
            {
                throw new InvalidDataException($"package.json lists \"{entry}\", which sdks/node does not have"
                    + (pattern.StartsWith("dist", StringComparison.Ordinal) ? " (run `npm ci && npm run build` in sdks/node)." : "."));
            }
        }

        var fileName = $"{name.TrimStart('@').Replace('/', '-')}-{version}.tgz";
        var tarball = Archives.TarGz(files.Select(f => ($"package/{f}", File.ReadAllBytes(Path.Combine(directory, f)))));
        return new SdkPackage("node", name, version, [new SdkFile($"node/{fileName}", "application/gzip", tarball)],
            $"npm install {{base}}/sdks/node/{fileName}");
    }
}
