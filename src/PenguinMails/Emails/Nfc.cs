using System.Runtime.InteropServices;
using PenguinMails.Tracking;

namespace PenguinMails.Emails;

/// <summary>
/// Unicode Normalization Form C, as RFC 6532 §3.1 asks of internationalized addresses: the precomposed <c>ñ</c> and
/// <c>n</c> + U+0303 are one spelling, and a singleton such as KELVIN SIGN (U+212A) becomes the letter it stands for
/// (<c>K</c>). The server runs with InvariantGlobalization, where <see cref="string.Normalize()"/> leaves non-ASCII text
/// as it is, so this calls the system's ICU (<c>unorm2_getNFCInstance</c>, <c>unorm2_normalize</c>) as
/// <see cref="DomainToAscii"/> does. Without ICU, or for text that is not valid UTF-16, the text is returned as given.
/// </summary>
public static class Nfc
{
    private static readonly Lazy<Normalizer?> Icu = new(Normalizer.Load);

    /// <summary><paramref name="text"/> in NFC; ASCII text (already NFC) is returned at once.</summary>
    public static string Of(string text)
    {
        if (text.All(char.IsAscii) || Icu.Value is not { } icu)
        {
            return text;
        }

        return icu.Normalize(text) ?? text;
    }

    private sealed class Normalizer(IntPtr instance, Normalizer.NormalizeText normalize)
    {
        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        private delegate IntPtr GetInstance(ref int errorCode);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate int NormalizeText(IntPtr normalizer, [MarshalAs(UnmanagedType.LPWStr)] string source, int length,
            [Out] ushort[] dest, int capacity, ref int errorCode);

        /// <summary>NFC of <paramref name="text"/>, or null when ICU refuses it (an unpaired surrogate).</summary>
        public string? Normalize(string text)
        {
            // NFC never grows text by more than a factor of 3 (Unicode Standard Annex #15, "Stream-Safe Text Format").
            var dest = new ushort[text.Length * 3 + 16];
            var error = 0;
            var length = normalize(instance, text, text.Length, dest, dest.Length, ref error);
            return error > 0 || length > dest.Length ? null : new string(MemoryMarshal.Cast<ushort, char>(dest.AsSpan(0, length)));
        }

        public static Normalizer? Load()
        {
            if (IcuLibrary.Export("unorm2_getNFCInstance") is not { } get || IcuLibrary.Export("unorm2_normalize") is not { } normalize)
            {
                return null;
            }

            var error = 0;
            var instance = Marshal.GetDelegateForFunctionPointer<GetInstance>(get)(ref error);
            return error <= 0 && instance != IntPtr.Zero ? new Normalizer(instance, Marshal.GetDelegateForFunctionPointer<NormalizeText>(normalize)) : null;
        }
    }
}
