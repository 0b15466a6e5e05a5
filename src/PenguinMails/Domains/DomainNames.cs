using System.Globalization;
using System.Net;

namespace PenguinMails.Domains;

/// <summary>
/// Domain names as the API takes them: IDNA (UTS #46) to ASCII, lower case, without a trailing dot; refused when an
/// IP address, a single label, a public suffix (a short list of the common multi-label ones, and every bare TLD) or
/// not a host name (RFC 1035 §2.3.1 labels of 1–63 letters, digits and hyphens; 253 characters in all).
/// </summary>
public static partial class DomainNames
{
    /// <summary>Suffixes under which anyone registers names: owning one would own every customer's domain below it.</summary>
    private static readonly HashSet<string> PublicSuffixes = new(StringComparer.Ordinal)
    {
        "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "ac.uk", "gov.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp",
        "ne.jp", "or.jp", "com.br", "com.cn", "com.mx", "com.ar", "com.tr", "co.in", "co.za", "co.kr", "com.sg", "com.hk",
        "github.io", "gitlab.io", "herokuapp.com", "netlify.app", "vercel.app", "pages.dev", "workers.dev", "blogspot.com",
        "azurewebsites.net", "cloudfront.net", "appspot.com", "firebaseapp.com", "web.app", "fly.dev", "onrender.com",
    };

    /// <summary>
    /// The longest name a sending domain may have: DNS carries 253 characters (RFC 1035 section 2.3.4), and the records
    /// asked of it prefix the name — <c>{selector}._domainkey.</c> (a selector of at most 20 characters) is the longest.
    /// </summary>
    public const int MaxLength = 253 - 32;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>
    /// A search over stored addresses, which keep their domains in Unicode (<c>ann@bücher.example</c>): every whole
    /// <c>xn--</c> label of <paramref name="term"/> — one followed by a dot or the end, after <c>@</c>, a dot or the start —
    /// decoded (RFC 3492), so that <c>ann@xn--bcher-kva.example</c> finds the contact a send to that address reaches.
    /// A label that does not decode stays as typed; the rest of the term is left alone.
    /// </summary>
    public static string UnicodeLabels(string term) =>
        !term.Contains("xn--", StringComparison.OrdinalIgnoreCase) ? term
            : AceLabel().Replace(term, label =>
            {
                try
                {
                    return Idn.GetUnicode(label.Value).ToLowerInvariant();
                }
                catch (ArgumentException)
                {
                    return label.Value;
                }
            });

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<=^|[.@])xn--[a-z0-9-]+(?=$|\.)", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex AceLabel();

    /// <summary>The normalized name, or null with the reason (a sentence for people).</summary>
    public static string? Normalize(string? input, out string error)
    {
        error = "";
        var text = (input ?? "").Trim();
        text = text.EndsWith('.') ? text[..^1] : text; // one final dot is the root ("example.com."); a second is an empty label
        if (text.Length == 0)
        {
            error = "name is required: the domain you send from, e.g. mail.example.com.";
            return null;
        }

        if (IPAddress.TryParse(text.Trim('[', ']'), out _))
        {
            error = "name must be a domain name, not an IP address.";
            return null;
        }

        if (ToAscii(text) is not { } ascii)
        {
            error = "name is not a valid domain name (letters, digits and hyphens in dot-separated labels).";
            return null;
        }

        var labels = ascii.Split('.');
        if (labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-') || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            error = "name is not a valid domain name (letters, digits and hyphens in dot-separated labels of 1 to 63 characters).";
            return null;
        }

        if (ascii.Length > MaxLength)
        {
            error = $"name may have at most {MaxLength} characters (in its ASCII form): DNS carries 253, and the DKIM record "
                + "prefixes the name with the selector and ._domainkey.";
            return null;
        }

        if (labels.Length < 2)
        {
            error = "name must have at least two labels (example.com), not a top-level domain alone.";
            return null;
        }

        if (labels[^1].All(char.IsAsciiDigit))
        {
            error = "name must end in a top-level domain, not a number.";
            return null;
        }

        if (PublicSuffixes.Contains(ascii))
        {
            error = $"'{ascii}' is a public suffix: add your own domain under it.";
            return null;
        }

        return ascii;
    }

    /// <summary>
    /// The domain part of an address, as <see cref="Normalize"/> makes it; null when there is none. Unicode domains
    /// compare by their ASCII form, so <c>bücher.example</c> and <c>xn--bcher-kva.example</c> are one.
    /// </summary>
    public static string? OfAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return at < 0 ? null : ToAscii(address[(at + 1)..].TrimEnd('>', ' ').TrimEnd('.'));
    }

    /// <summary>
    /// UTS #46 ToASCII as browsers and mail clients map a domain (<see cref="Tracking.DomainToAscii"/>): lower case, NFKC,
    /// default-ignorables removed, so <c>BÜCHER.example</c>, <c>bücher.example</c> and <c>xn--bcher-kva.example</c> are one
    /// name and <c>ＥＸＡＭＰＬＥ.org</c> is <c>example.org</c>. Without ICU on the host, .NET's IdnMapping of the
    /// lower-cased text (no NFKC mapping then).
    /// </summary>
    private static string? ToAscii(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (Tracking.DomainToAscii.CanMapUnicode || text.All(char.IsAscii))
        {
            return Tracking.DomainToAscii.Convert(text);
        }

        try
        {
            return Idn.GetAscii(text.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Whether <paramref name="host"/> is <paramref name="domain"/> or a subdomain of it — by whole labels,
    /// so <c>evilbank.example</c> is not under <c>bank.example</c>, nor <c>bank.example.evil.example</c>.</summary>
    public static bool IsWithin(string host, string domain) =>
        host == domain || host.EndsWith("." + domain, StringComparison.Ordinal);

    /// <summary><paramref name="name"/> and each parent of at least two labels: a.b.example → a.b.example, b.example.</summary>
    public static List<string> SelfAndParents(string name)
    {
        var names = new List<string>();
        for (var at = name; at.Contains('.'); at = at[(at.IndexOf('.') + 1)..])
        {
            names.Add(at);
        }

        return names;
    }
}
