using System.Formats.Tar;
using System.IO.Compression;

namespace PenguinMails.Sdks;

/// <summary>
/// Deterministic zip and tar.gz archives (fixed entry times and modes), so that a package's bytes and SHA-256 stay the
/// same from one start of the server to the next as long as its sources do.
/// </summary>
public static class Archives
{
    /// <summary>The time stamp of every entry: npm's own fixed date for packed files (1985-10-26 08:15 UTC).</summary>
    public static readonly DateTimeOffset EntryTime = new(1985, 10, 26, 8, 15, 0, TimeSpan.Zero);

    public static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                entry.ExternalAttributes = Convert.ToInt32("100644", 8) << 16; // a regular file, rw-r--r--
                using var stream = entry.Open();
                stream.Write(content);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A gzipped POSIX (ustar) tar of regular files; directories are implied by the paths, as npm packs them.</summary>
    public static byte[] TarGz(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    ModificationTime = EntryTime,
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    DataStream = new MemoryStream(content, writable: false),
                };
                tar.WriteEntry(entry);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The files below <paramref name="directory"/> (relative, '/'-separated, ordinal order), skipping build leftovers.</summary>
    public static IEnumerable<string> FilesUnder(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
                .Where(f => !f.Split('/').Any(part => part is "__pycache__" or "node_modules" or ".DS_Store") && !f.EndsWith(".pyc", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];
}
