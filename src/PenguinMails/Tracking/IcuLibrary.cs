using System.Runtime.InteropServices;

namespace PenguinMails.Tracking;

/// <summary>
/// The system's ICU (libicuuc), found as .NET finds it: versioned library and symbol names, newest first. The server
/// runs with InvariantGlobalization, where .NET does no Unicode mapping of its own (IDNA, normalization); the few rules
/// that need one call ICU directly (<see cref="DomainToAscii"/>, <see cref="Emails.Nfc"/>).
/// </summary>
internal static class IcuLibrary
{
    private static readonly Lazy<(IntPtr Library, string Suffix)?> Loaded = new(Load);

    /// <summary>The address of ICU's function <paramref name="name"/> (<c>unorm2_normalize</c>), or null without ICU.</summary>
    public static IntPtr? Export(string name) =>
        Loaded.Value is var (library, suffix)
        && (NativeLibrary.TryGetExport(library, name + suffix, out var address) || NativeLibrary.TryGetExport(library, name, out address))
            ? address
            : null;

    private static (IntPtr, string)? Load()
    {
        var candidates = Enumerable.Range(50, 50).Reverse().Select(v => ($"libicuuc.so.{v}", $"_{v}"))
            .Concat([("libicuuc.so", ""), ("libicucore.dylib", ""), ("icu.dll", "")]);
        foreach (var (file, suffix) in candidates)
        {
            if (NativeLibrary.TryLoad(file, out var library)
                && (NativeLibrary.TryGetExport(library, "uidna_openUTS46" + suffix, out _) || NativeLibrary.TryGetExport(library, "uidna_openUTS46", out _)))
            {
                return (library, suffix);
            }
        }

        return null;
    }
}
