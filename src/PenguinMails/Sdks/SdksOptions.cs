using System.Reflection;

namespace PenguinMails.Sdks;

/// <summary>
/// Where the server finds what it serves under <c>/sdks/</c> (section <c>PenguinMails:Sdks</c>). Empty = found:
/// published, the <c>sdks</c> folder beside the binary (the publish step copies the SDKs' shipped files and the
/// .nupkg there); from a checkout's build, the checkout's <c>sdks/</c> and the .nupkg the build packed.
/// </summary>
public sealed class SdksOptions
{
    public const string Section = "PenguinMails:Sdks";

    /// <summary>The folder holding <c>python/</c>, <c>node/</c>, <c>php/</c> (each SDK's sources as in the repository).</summary>
    public string Directory { get; set; } = "";

    /// <summary>The folder holding the .NET SDK's packed <c>PenguinMails.Client.*.nupkg</c>.</summary>
    public string PackagesDirectory { get; set; } = "";

    public string ResolveDirectory() => Resolve(Directory, "sdks", "PenguinMailsSdks");

    public string ResolvePackagesDirectory() => Resolve(PackagesDirectory, Path.Combine("sdks", "dotnet"), "PenguinMailsSdkPackages");

    private static string Resolve(string configured, string beside, string metadataKey)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var published = Path.Combine(AppContext.BaseDirectory, beside);
        if (System.IO.Directory.Exists(published))
        {
            return published;
        }

        return typeof(SdksOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == metadataKey)?.Value ?? published;
    }
}
