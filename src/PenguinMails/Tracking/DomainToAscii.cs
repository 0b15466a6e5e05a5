using System.Runtime.InteropServices;

namespace PenguinMails.Tracking;

/// <summary>
/// A domain's ASCII form as browsers compute it (WHATWG URL "domain to ASCII"): UTS #46 ToASCII, nontransitional,
/// CheckBidi and CheckJoiners on, CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength off. The mapping lowercases,
/// applies NFKC, removes default-ignorables (U+00AD, U+200B) and splits at U+3002, U+FF0E and U+FF61:
/// <c>ＥＸ．ｃｏｍ</c> → <c>ex.com</c>, <c>ﬁ.example</c> → <c>fi.example</c>; a disallowed character (U+202E and
/// the other bidi controls, U+FFFD) or a forbidden domain code point (space, <c>%</c>, <c>/</c>, <c>:</c>, …) makes
/// the domain invalid.
/// </summary>
/// <remarks>
/// The server runs with InvariantGlobalization, where .NET's IdnMapping and string.Normalize do no Unicode mapping
/// (IdnMapping only punycodes the text as given: <c>ＥＸ</c> → <c>xn--th7cjb</c>). The mapping is ICU's UTS #46
/// implementation — what Chromium uses — called directly from the system's libicuuc (on Debian, libicu72, which
/// .NET itself lists as a dependency), so invariant mode stays on for the rest of the server. Where no ICU can be
/// loaded, an ASCII domain is only lowercased and checked, and a non-ASCII one has no ASCII form (its link is left
/// untracked rather than sent somewhere a browser would not go).
/// </remarks>
public static class DomainToAscii
{
    private const uint Options = 0x4 | 0x8 | 0x10; // UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ | UIDNA_NONTRANSITIONAL_TO_ASCII
    private const uint IgnoredErrors = 0x3F; // empty label, label and name lengths, hyphens: VerifyDnsLength and CheckHyphens off

    private static readonly Lazy<Icu?> Uts46 = new(Icu.Load);

    /// <summary>True when ICU's UTS #46 mapping is available, so non-ASCII domains can be converted.</summary>
    public static bool CanMapUnicode => Uts46.Value is not null;

    /// <summary>The ASCII form of <paramref name="domain"/> (percent-decoded already), or null when it has none.</summary>
    public static string? Convert(string domain)
    {
        var ascii = Uts46.Value is { } icu ? icu.ToAscii(domain)
            : domain.All(char.IsAscii) ? domain.ToLowerInvariant()
            : null;
        return ascii is { Length: > 0 } && !ascii.Any(IsForbidden) ? ascii : null;
    }

    private static bool IsForbidden(char c) =>
        c is <= ' ' or >= '\u007f' or '#' or '%' or '/' or ':' or '<' or '>' or '?' or '@' or '[' or '\\' or ']' or '^' or '|';

    private sealed class Icu(IntPtr idna, Icu.NameToAscii nameToAscii)
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr OpenUts46(uint options, ref int errorCode);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int NameToAscii(IntPtr idna, [MarshalAs(UnmanagedType.LPWStr)] string name, int length,
            [Out] ushort[] dest, int capacity, ref Info info, ref int errorCode);

        /// <summary>ICU's UIDNAInfo.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Info
        {
            public short Size;
            public byte IsTransitionalDifferent;
            public byte ReservedB3;
            public uint Errors;
            public int ReservedI2;
            public int ReservedI3;
        }

        public string? ToAscii(string domain)
        {
            var dest = new ushort[Math.Max(64, domain.Length * 4 + 64)];
            var (info, error) = (new Info { Size = (short)Marshal.SizeOf<Info>() }, 0);
            var length = nameToAscii(idna, domain, domain.Length, dest, dest.Length, ref info, ref error);
            return error > 0 || (info.Errors & ~IgnoredErrors) != 0 || length > dest.Length
                ? null
                : new string(MemoryMarshal.Cast<ushort, char>(dest.AsSpan(0, length)));
        }

        /// <summary>ICU's UTS #46 converter, opened once; null without ICU.</summary>
        public static Icu? Load()
        {
            if (IcuLibrary.Export("uidna_openUTS46") is not { } open || IcuLibrary.Export("uidna_nameToASCII") is not { } convert)
            {
                return null;
            }

            var error = 0;
            var idna = Marshal.GetDelegateForFunctionPointer<OpenUts46>(open)(Options, ref error);
            return error <= 0 && idna != IntPtr.Zero ? new Icu(idna, Marshal.GetDelegateForFunctionPointer<NameToAscii>(convert)) : null;
        }
    }
}
