using System.Security.Cryptography;

namespace PenguinMails.Sdks;

/// <summary>One downloadable file under <c>/sdks/</c>: its path below <c>/sdks/</c>, content type and bytes.</summary>
public sealed record SdkFile(string Path, string ContentType, byte[] Content)
{
    /// <summary>Lower-case hex SHA-256 of the content: the index page shows it; it is the ETag too.</summary>
    public string Sha256 { get; } = Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary>
/// One SDK as the index page lists it: its package name, version, files, install command (with {base} for the server's
/// public base URL), or why it is not available on this server (<see cref="Problem"/>).
/// </summary>
public sealed record SdkPackage(string Language, string Name, string Version, IReadOnlyList<SdkFile> Files,
    string InstallCommand, string? Problem = null);
