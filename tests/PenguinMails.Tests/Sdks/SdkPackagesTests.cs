using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Sdks;

/// <summary>
/// /sdks/ (issue 15 "Distribution"): each SDK downloads as its package type with valid metadata — the npm tarball,
/// the Python wheel (RECORD digests checked) and sdist, the Composer repository and zip, the NuGet v3 feed — through
/// HTTP on the in-process server. Real installs from a listening server: SdkInstallTests.
/// </summary>
public sealed class SdkPackagesTests : IClassFixture<SdkPackagesTests.Server>
{
    /// <summary>The server these tests share (SQLite: the packages touch no database).</summary>
    public sealed class Server : IDisposable
    {
        public SqliteFactory App { get; } = new();

        public Server()
        {
            foreach (var (name, value) in SdkSourcesForTests.Settings(":"))
            {
                App.Settings[name] = value;
            }
        }

        public void Dispose() => App.Dispose();
    }

    private readonly HttpClient _http;

    public SdkPackagesTests(Server server) => _http = server.App.Client();

    private async Task<byte[]> DownloadAsync(string path, string contentType)
    {
        var answer = await _http.GetAsync(path);
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{path}: HTTP {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal(contentType, answer.Content.Headers.ContentType?.MediaType);
        return await answer.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task Index_ListsEveryPackageWithItsInstallCommandFromThisServer()
    {
        var redirect = await _http.GetAsync("/sdks");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/sdks/", redirect.Headers.Location?.ToString());

        var html = Encoding.UTF8.GetString(await DownloadAsync("/sdks/", "text/html"));
        Assert.DoesNotContain("Not available", html, StringComparison.Ordinal);
        Assert.Contains("npm install http://localhost/sdks/node/penguinmails-sdk-1.0.0.tgz", html, StringComparison.Ordinal);
        Assert.Contains("pip install http://localhost/sdks/python/penguinmails-1.0.0-py3-none-any.whl", html, StringComparison.Ordinal);
        Assert.Contains("composer config repositories.penguinmails composer http://localhost/sdks/php\ncomposer require penguinmails/sdk", html, StringComparison.Ordinal);
        Assert.Contains("dotnet nuget add source http://localhost/sdks/dotnet/index.json --name penguinmails", html, StringComparison.Ordinal);
        foreach (var file in new[] { "node/penguinmails-sdk-1.0.0.tgz", "python/penguinmails-1.0.0.tar.gz", "php/penguinmails-sdk-1.0.0.zip", "dotnet/PenguinMails.Client.1.0.0.nupkg" })
        {
            var bytes = await _http.GetByteArrayAsync("/sdks/" + file);
            Assert.Contains($"href=\"/sdks/{file}\"", html, StringComparison.Ordinal);
            Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(bytes)), html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NodeTarball_IsAnNpmPackageOfTheCompiledSdk()
    {
        var entries = SdkArchive.TarGz(await DownloadAsync("/sdks/node/penguinmails-sdk-1.0.0.tgz", "application/gzip"));
        Assert.All(entries.Keys, name => Assert.StartsWith("package/", name, StringComparison.Ordinal));
        var manifest = JsonNode.Parse(entries.Text("package/package.json"))!;
        Assert.Equal("@penguinmails/sdk", (string?)manifest["name"]);
        Assert.Equal("1.0.0", (string?)manifest["version"]);
        foreach (var target in new[] { (string?)manifest["main"], (string?)manifest["types"],
                     (string?)manifest["exports"]?["."]?["import"]?["default"], (string?)manifest["exports"]?["."]?["require"]?["default"] })
        {
            Assert.NotNull(target);
            Assert.Contains("package/" + target.TrimStart('.', '/'), entries.Keys);
        }

        Assert.Contains("package/README.md", entries.Keys);
        Assert.Contains("package/LICENSE", entries.Keys);
        Assert.DoesNotContain(entries.Keys, name => name.Contains("node_modules", StringComparison.Ordinal) || name.StartsWith("package/src/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PythonWheel_HasCoreMetadataAndARecordWhoseDigestsMatch()
    {
        var entries = SdkArchive.Zip(await DownloadAsync("/sdks/python/penguinmails-1.0.0-py3-none-any.whl", "application/zip"));
        const string info = "penguinmails-1.0.0.dist-info";
        Assert.Contains("penguinmails/__init__.py", entries.Keys);
        Assert.Contains("penguinmails/py.typed", entries.Keys);
        Assert.Contains("penguinmails/webhooks.py", entries.Keys);
        Assert.DoesNotContain(entries.Keys, name => name.Contains("__pycache__", StringComparison.Ordinal) || name.Contains("tests/", StringComparison.Ordinal));

        var metadata = SdkArchive.CoreMetadata(entries.Text($"{info}/METADATA"));
        Assert.Equal(["penguinmails"], metadata["Name"]);
        Assert.Equal(["1.0.0"], metadata["Version"]);
        Assert.Equal([">=3.11"], metadata["Requires-Python"]);
        Assert.Equal(["MIT"], metadata["License"]);
        Assert.Contains("# penguinmails", entries.Text($"{info}/METADATA"), StringComparison.Ordinal);
        var wheel = SdkArchive.CoreMetadata(entries.Text($"{info}/WHEEL"));
        Assert.Equal(["1.0"], wheel["Wheel-Version"]);
        Assert.Equal(["true"], wheel["Root-Is-Purelib"]);
        Assert.Equal(["py3-none-any"], wheel["Tag"]);

        var record = entries.Text($"{info}/RECORD").TrimEnd('\n').Split('\n').Select(l => l.Split(',')).ToList();
        Assert.Equal(entries.Keys.Order(StringComparer.Ordinal), record.Select(r => r[0]).Order(StringComparer.Ordinal));
        foreach (var row in record)
        {
            if (row[0] == $"{info}/RECORD")
            {
                Assert.Equal(["", ""], row[1..]);
                continue;
            }

            var digest = Convert.ToBase64String(SHA256.HashData(entries[row[0]])).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            Assert.Equal($"sha256={digest}", row[1]);
            Assert.Equal(entries[row[0]].Length.ToString(System.Globalization.CultureInfo.InvariantCulture), row[2]);
        }
    }

    [Fact]
    public async Task PythonSdist_HasPkgInfoAndTheSources()
    {
        var entries = SdkArchive.TarGz(await DownloadAsync("/sdks/python/penguinmails-1.0.0.tar.gz", "application/gzip"));
        Assert.All(entries.Keys, name => Assert.StartsWith("penguinmails-1.0.0/", name, StringComparison.Ordinal));
        var metadata = SdkArchive.CoreMetadata(entries.Text("penguinmails-1.0.0/PKG-INFO"));
        Assert.Equal(["2.1"], metadata["Metadata-Version"]);
        Assert.Equal(["penguinmails"], metadata["Name"]);
        Assert.Equal(["1.0.0"], metadata["Version"]);
        Assert.Contains("name = \"penguinmails\"", entries.Text("penguinmails-1.0.0/pyproject.toml"), StringComparison.Ordinal);
        foreach (var file in new[] { "README.md", "LICENSE", "src/penguinmails/__init__.py", "src/penguinmails/py.typed", "src/penguinmails/_transport.py",
                     "build_backend/penguinmails_build.py" })
        {
            Assert.Contains($"penguinmails-1.0.0/{file}", entries.Keys);
        }
    }

    [Fact]
    public async Task ComposerRepository_PointsAtTheZipWithItsChecksum()
    {
        var repository = JsonNode.Parse(await DownloadAsync("/sdks/php/packages.json", "application/json"))!;
        var version = repository["packages"]!["penguinmails/sdk"]!["1.0.0"]!;
        Assert.Equal("penguinmails/sdk", (string?)version["name"]);
        Assert.Equal("1.0.0", (string?)version["version"]);
        Assert.Equal("src/", (string?)version["autoload"]!["psr-4"]!["PenguinMails\\"]);
        Assert.Null(version["autoload-dev"]);
        Assert.Equal("zip", (string?)version["dist"]!["type"]);
        Assert.Equal("http://localhost/sdks/php/penguinmails-sdk-1.0.0.zip", (string?)version["dist"]!["url"]);

        var zip = await DownloadAsync("/sdks/php/penguinmails-sdk-1.0.0.zip", "application/zip");
#pragma warning disable CA5350 // Composer's dist.shasum is SHA-1 by definition.
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(zip)), (string?)version["dist"]!["shasum"]);
#pragma warning restore CA5350
        var entries = SdkArchive.Zip(zip);
        Assert.Equal("penguinmails/sdk", (string?)JsonNode.Parse(entries.Text("composer.json"))!["name"]);
        Assert.Contains("src/Client.php", entries.Keys);
        Assert.Contains("LICENSE", entries.Keys);
        Assert.DoesNotContain(entries.Keys, name => name.StartsWith("tests/", StringComparison.Ordinal) || name.StartsWith("vendor/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NuGetFeed_AnswersAsTheV3ProtocolDocuments()
    {
        var index = JsonNode.Parse(await DownloadAsync("/sdks/dotnet/index.json", "application/json"))!;
        Assert.Equal("3.0.0", (string?)index["version"]);
        var baseAddress = index["resources"]!.AsArray().Single(r => (string?)r!["@type"] == "PackageBaseAddress/3.0.0")!["@id"]!.GetValue<string>();
        Assert.Equal("http://localhost/sdks/dotnet/v3-flatcontainer/", baseAddress);

        var versions = JsonNode.Parse(await DownloadAsync(baseAddress + "penguinmails.client/index.json", "application/json"))!;
        Assert.Equal(["1.0.0"], versions["versions"]!.AsArray().Select(v => v!.GetValue<string>()));
        var nupkg = await DownloadAsync(baseAddress + "penguinmails.client/1.0.0/penguinmails.client.1.0.0.nupkg", "application/octet-stream");
        Assert.Equal(nupkg, await DownloadAsync("/sdks/dotnet/PenguinMails.Client.1.0.0.nupkg", "application/octet-stream"));
        var entries = SdkArchive.Zip(nupkg);
        Assert.Contains("lib/net10.0/PenguinMails.Client.dll", entries.Keys);
        var nuspecBytes = await DownloadAsync(baseAddress + "penguinmails.client/1.0.0/penguinmails.client.nuspec", "application/xml");
        Assert.Equal(entries["PenguinMails.Client.nuspec"], nuspecBytes);
        var nuspec = XDocument.Load(new MemoryStream(nuspecBytes));
        var metadata = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal("PenguinMails.Client", metadata.Elements().Single(e => e.Name.LocalName == "id").Value);
        Assert.Equal("1.0.0", metadata.Elements().Single(e => e.Name.LocalName == "version").Value);

        var registrations = index["resources"]!.AsArray().Single(r => (string?)r!["@type"] == "RegistrationsBaseUrl/3.6.0")!["@id"]!.GetValue<string>();
        Assert.Equal("http://localhost/sdks/dotnet/registration/", registrations);
        var registration = JsonNode.Parse(await DownloadAsync(registrations + "penguinmails.client/index.json", "application/json"))!;
        var page = registration["items"]![0]!;
        Assert.Equal(("1.0.0", "1.0.0", 1), ((string?)page["lower"], (string?)page["upper"], (int?)page["count"]));
        var leaf = page["items"]![0]!;
        Assert.Equal(baseAddress + "penguinmails.client/1.0.0/penguinmails.client.1.0.0.nupkg", (string?)leaf["packageContent"]);
        Assert.Equal(("PenguinMails.Client", "1.0.0", true), ((string?)leaf["catalogEntry"]!["id"], (string?)leaf["catalogEntry"]!["version"], (bool?)leaf["catalogEntry"]!["listed"]));

        await (await _http.GetAsync(registrations + "other.package/index.json")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await _http.GetAsync(baseAddress + "penguinmails.client/2.0.0/penguinmails.client.2.0.0.nupkg")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await _http.GetAsync(baseAddress + "other.package/index.json")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Downloads_AreCacheableByTheirDigest_AndUnknownFilesAre404()
    {
        var first = await _http.GetAsync("/sdks/python/penguinmails-1.0.0-py3-none-any.whl");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(await first.Content.ReadAsByteArrayAsync()))}\"", etag.Tag);
        Assert.Equal("penguinmails-1.0.0-py3-none-any.whl", first.Content.Headers.ContentDisposition?.FileName);
        using var again = new HttpRequestMessage(HttpMethod.Get, "/sdks/python/penguinmails-1.0.0-py3-none-any.whl");
        again.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(etag.Tag));
        Assert.Equal(HttpStatusCode.NotModified, (await _http.SendAsync(again)).StatusCode);

        await (await _http.GetAsync("/sdks/python/penguinmails-0.9.0-py3-none-any.whl")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await _http.GetAsync("/sdks/python/..%2F..%2Fappsettings.json")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task AbsoluteUrls_UseThePublicUrlWhenSet()
    {
        using var app = new SqliteFactory();
        foreach (var (name, value) in SdkSourcesForTests.Settings(":"))
        {
            app.Settings[name] = value;
        }

        app.Settings["PenguinMails:PublicUrl"] = "https://mail.example.com/";
        var http = app.Client();
        var repository = JsonNode.Parse(await http.GetStringAsync("/sdks/php/packages.json"))!;
        Assert.Equal("https://mail.example.com/sdks/php/penguinmails-sdk-1.0.0.zip", (string?)repository["packages"]!["penguinmails/sdk"]!["1.0.0"]!["dist"]!["url"]);
        var index = JsonNode.Parse(await http.GetStringAsync("/sdks/dotnet/index.json"))!;
        Assert.Equal("https://mail.example.com/sdks/dotnet/v3-flatcontainer/", (string?)index["resources"]![0]!["@id"]);
        Assert.Contains("pip install https://mail.example.com/sdks/python/penguinmails-1.0.0-py3-none-any.whl", await http.GetStringAsync("/sdks/"), StringComparison.Ordinal);
    }
}
