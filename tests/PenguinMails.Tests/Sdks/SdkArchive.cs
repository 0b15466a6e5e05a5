using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace PenguinMails.Tests.Sdks;

/// <summary>The entries of a downloaded zip or tar.gz, by name, read with the framework's own readers.</summary>
public static class SdkArchive
{
    public static Dictionary<string, byte[]> Zip(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            entries.Add(entry.FullName, copy.ToArray());
        }

        return entries;
    }

    public static Dictionary<string, byte[]> TarGz(byte[] content)
    {
        using var tar = new TarReader(new GZipStream(new MemoryStream(content), CompressionMode.Decompress));
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        while (tar.GetNextEntry() is { } entry)
        {
            Assert.Equal(TarEntryType.RegularFile, entry.EntryType is TarEntryType.V7RegularFile ? TarEntryType.RegularFile : entry.EntryType);
            using var copy = new MemoryStream();
            entry.DataStream?.CopyTo(copy);
            entries.Add(entry.Name, copy.ToArray());
        }

        return entries;
    }

    public static string Text(this Dictionary<string, byte[]> entries, string name) =>
        entries.TryGetValue(name, out var bytes) ? Encoding.UTF8.GetString(bytes)
            : throw new Xunit.Sdk.XunitException($"No {name} in the archive: {string.Join(", ", entries.Keys)}");

    /// <summary>The header fields of core metadata (METADATA / PKG-INFO): name → values, up to the blank line.</summary>
    public static ILookup<string, string> CoreMetadata(string text) =>
        text.Split("\n\n", 2)[0].Split('\n').Select(l => l.Split(": ", 2)).Where(p => p.Length == 2)
            .ToLookup(p => p[0], p => p[1]);
}
