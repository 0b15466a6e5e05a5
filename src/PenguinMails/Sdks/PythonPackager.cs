using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace PenguinMails.Sdks;

/// <summary>
/// Builds the Python SDK's wheel (PEP 427: a zip with the package and a <c>.dist-info</c> of METADATA, WHEEL and a
/// RECORD of SHA-256 digests) and source distribution (PEP 517 sdist: a tar.gz with PKG-INFO) from
/// <c>sdks/python</c> (pyproject.toml, README.md, LICENSE, src/&lt;package&gt;), without any Python tooling.
/// </summary>
public static partial class PythonPackager
{
    public static SdkPackage Build(string directory)
    {
        var project = ReadProject(Path.Combine(directory, "pyproject.toml"));
        var name = project.Single("name");
        var version = project.Single("version");
        var source = Path.Combine(directory, "src", name.Replace('-', '_'));
        var modules = Archives.FilesUnder(source).ToList();
        if (!modules.Contains("__init__.py"))
        {
            throw new InvalidDataException($"{source} has no __init__.py.");
        }

        var readme = File.ReadAllBytes(Path.Combine(directory, "README.md"));
        var license = File.ReadAllBytes(Path.Combine(directory, "LICENSE"));
        var metadata = Encoding.UTF8.GetBytes(Metadata(project, name, version) + Encoding.UTF8.GetString(readme));
        var distribution = name.Replace('-', '_');
        var wheelName = $"{distribution}-{version}-py3-none-any.whl";
        var sdistName = $"{distribution}-{version}.tar.gz";
        return new SdkPackage("python", name, version,
        [
            new SdkFile($"python/{wheelName}", "application/zip", Wheel(source, modules, distribution, version, metadata, license)),
            new SdkFile($"python/{sdistName}", "application/gzip", Sdist(directory, distribution, version, metadata)),
        ], $"pip install {{base}}/sdks/python/{wheelName}");
    }

    private static byte[] Wheel(string source, List<string> modules, string distribution, string version, byte[] metadata, byte[] license)
    {
        var package = Path.GetFileName(source);
        var info = $"{distribution}-{version}.dist-info";
        var entries = modules.Select(m => ($"{package}/{m}", File.ReadAllBytes(Path.Combine(source, m)))).ToList();
        entries.Add(($"{info}/METADATA", metadata));
        entries.Add(($"{info}/WHEEL", Encoding.UTF8.GetBytes(
            "Wheel-Version: 1.0\nGenerator: penguinmails-server (1.0.0)\nRoot-Is-Purelib: true\nTag: py3-none-any\n")));
        entries.Add(($"{info}/licenses/LICENSE", license));
        entries.Add(($"{info}/top_level.txt", Encoding.UTF8.GetBytes(package + "\n")));
        var record = new StringBuilder();
        foreach (var (path, content) in entries)
        {
            record.Append(path).Append(",sha256=").Append(RecordDigest(content)).Append(',').Append(content.Length).Append('\n');
        }

        record.Append(info).Append("/RECORD,,\n");
        entries.Add(($"{info}/RECORD", Encoding.UTF8.GetBytes(record.ToString())));
        return Archives.Zip(entries);
    }

    private static byte[] Sdist(string directory, string distribution, string version, byte[] metadata)
    {
        var root = $"{distribution}-{version}";
        var entries = new List<(string, byte[])> { ($"{root}/PKG-INFO", metadata) };
        foreach (var file in new[] { "pyproject.toml", "README.md", "LICENSE" })
        {
            entries.Add(($"{root}/{file}", File.ReadAllBytes(Path.Combine(directory, file))));
        }

        // build_backend/ is the standard-library PEP 517 backend pyproject.toml names: pip builds the sdist offline.
        foreach (var folder in new[] { "build_backend", "src" })
        {
            entries.AddRange(Archives.FilesUnder(Path.Combine(directory, folder))
                .Select(f => ($"{root}/{folder}/{f}", File.ReadAllBytes(Path.Combine(directory, folder, f)))));
        }
        return Archives.TarGz(entries);
    }

    /// <summary>RECORD's digest form (PEP 376/427): urlsafe base64 of the SHA-256, without padding.</summary>
    public static string RecordDigest(byte[] content) =>
        Convert.ToBase64String(SHA256.HashData(content)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Core metadata 2.1 (the header of METADATA and PKG-INFO); the README follows as the description.</summary>
    private static string Metadata(Project project, string name, string version)
    {
        var text = new StringBuilder()
            .Append("Metadata-Version: 2.1\n")
            .Append("Name: ").Append(name).Append('\n')
            .Append("Version: ").Append(version).Append('\n');
        if (project.Optional("description") is { } summary)
        {
            text.Append("Summary: ").Append(summary).Append('\n');
        }

        foreach (var author in project.Values("authors.name"))
        {
            text.Append("Author: ").Append(author).Append('\n');
        }

        if (project.Optional("license.text") is { } license)
        {
            text.Append("License: ").Append(license).Append('\n');
        }

        if (project.Optional("requires-python") is { } python)
        {
            text.Append("Requires-Python: ").Append(python).Append('\n');
        }

        foreach (var dependency in project.Values("dependencies"))
        {
            text.Append("Requires-Dist: ").Append(dependency).Append('\n');
        }

        foreach (var classifier in project.Values("classifiers"))
        {
            text.Append("Classifier: ").Append(classifier).Append('\n');
        }

        return text.Append("Description-Content-Type: text/markdown\n\n").ToString();
    }

    /// <summary>
    /// The <c>[project]</c> table's strings and string arrays (with <c>license = { text = … }</c> and
    /// <c>authors = [{ name = … }]</c> flattened to <c>license.text</c> and <c>authors.name</c>): what core metadata
    /// needs, read without a TOML library. Other TOML forms in that table are ignored.
    /// </summary>
    private sealed record Project(Dictionary<string, List<string>> Fields)
    {
        public string Single(string key) => Optional(key)
            ?? throw new InvalidDataException($"pyproject.toml: [project] has no {key}.");

        public string? Optional(string key) => Fields.TryGetValue(key, out var values) && values.Count > 0 ? values[0] : null;

        public List<string> Values(string key) => Fields.TryGetValue(key, out var values) ? values : [];
    }

    private static Project ReadProject(string path)
    {
        var text = File.ReadAllText(path);
        var table = ProjectTable().Match(text);
        if (!table.Success)
        {
            throw new InvalidDataException($"{path} has no [project] table.");
        }

        var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (Match assignment in Assignment().Matches(table.Groups[1].Value))
        {
            var key = assignment.Groups[1].Value;
            var value = assignment.Groups[2].Value;
            foreach (Match inner in InlineField().Matches(value))
            {
                Add(fields, $"{key}.{inner.Groups[1].Value}", Unquote(inner.Groups[2].Value));
            }

            var withoutTables = InlineTable().Replace(value, "");
            foreach (Match literal in StringLiteral().Matches(withoutTables))
            {
                Add(fields, key, Unquote(literal.Value));
            }
        }

        return new Project(fields);
    }

    private static void Add(Dictionary<string, List<string>> fields, string key, string value)
    {
        if (!fields.TryGetValue(key, out var values))
        {
            fields[key] = values = [];
        }

        values.Add(value);
    }

    private static string Unquote(string literal) => literal[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);

    [GeneratedRegex(@"^\[project\]\s*$(.*?)(?=^\[|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex ProjectTable();

    // key = value, where a value runs to the end of its line or, for arrays and inline tables, to the closing bracket.
    [GeneratedRegex(@"^([A-Za-z0-9_-]+)\s*=\s*(\[.*?\]\s*$|\{.*?\}\s*$|[^\n]*)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Assignment();

    [GeneratedRegex(@"([A-Za-z0-9_-]+)\s*=\s*(""(?:[^""\\]|\\.)*"")")]
    private static partial Regex InlineField();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex InlineTable();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
