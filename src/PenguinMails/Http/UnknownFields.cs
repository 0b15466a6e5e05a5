using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// A request body's field that its operation does not have is refused, never dropped: <c>PATCH</c> of a key with
/// <c>expires_at</c>, or a campaign with <c>scheduled_at</c>, would otherwise answer 200 while the caller believes the
/// change was made (Stripe answers such a parameter the same way). The serializer refuses it
/// (<c>UnmappedMemberHandling.Disallow</c>, set in <see cref="HttpConventions"/>); this turns its exception, whose text
/// names a .NET type, into <c>400 VALIDATION_ERROR</c> naming the field by its path (<c>audience.tagz</c>) and saying
/// which field was probably meant, or which the object has.
/// </summary>
public static class UnknownFields
{
    private const string Prefix = "The JSON property '";
    private const string Middle = "' could not be mapped to any .NET member contained in type '";

    /// <summary>
    /// The field and message for <paramref name="json"/> when it is the serializer's refusal of an unknown field;
    /// false for any other exception. <paramref name="options"/> (the API's) lists the object's fields; without it
    /// the message only names the field.
    /// </summary>
    public static bool TryDescribe(JsonException json, JsonSerializerOptions? options, out ErrorDetail detail)
    {
        detail = null!;
        var message = json.Message;
        var middle = message.IndexOf(Middle, StringComparison.Ordinal);
        if (!message.StartsWith(Prefix, StringComparison.Ordinal) || middle < 0)
        {
            return false;
        }

        var name = message[Prefix.Length..middle];
        var typeName = message[(middle + Middle.Length)..].TrimEnd('.', '\'');
        var field = Path(json.Path, name);
        var known = Fields(typeName, options);
        detail = new ErrorDetail(field, $"{Shown(field)} is not a field of this request{Hint(field[..^name.Length], name, known)}");
        return true;
    }

    /// <summary>The unknown field's path: the object's own path (the serializer's, which may or may not end with the name) and the name.</summary>
    private static string Path(string? path, string name)
    {
        var parent = string.IsNullOrEmpty(path) || path == "$" ? "" : path.TrimStart('$', '.');
        foreach (var suffix in new[] { "." + name, $"['{name}']", name })
        {
            if (parent.EndsWith(suffix, StringComparison.Ordinal))
            {
                parent = parent[..^suffix.Length];
                break;
            }
        }

        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    /// <summary>The names the object of <paramref name="typeName"/> accepts, in the order it declares them; empty when not known.</summary>
    private static List<string> Fields(string typeName, JsonSerializerOptions? options)
    {
        if (options is null || typeof(UnknownFields).Assembly.GetType(typeName) is not { } type)
        {
            return [];
        }

        var info = options.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Object
            ? info.Properties.Where(p => p.Set is not null).Select(p => p.Name).ToList()
            : [];
    }

    /// <summary>
    /// ": did you mean {field}?" when one known name is at most two edits away (and the edits are at most a third of
    /// the name, so <c>id</c> does not suggest <c>to</c>); otherwise the object's fields.
    /// </summary>
    private static string Hint(string parent, string name, List<string> known)
    {
        if (known.Count == 0)
        {
            return ".";
        }

        if (name.Length > 64)
        {
            return $". Its fields are: {string.Join(", ", known)}.";
        }

        var typed = name.ToLowerInvariant();
        var closest = known.MinBy(k => Distance(k, typed))!;
        var edits = Distance(closest, typed);
        return edits <= 2 && edits * 3 <= name.Length
            ? $": did you mean {parent}{closest}?"
            : $". Its fields are: {string.Join(", ", known)}.";
    }

    /// <summary>
    /// Optimal string alignment distance: the fewest insertions, deletions, substitutions and swaps of two
    /// neighbouring characters (<c>form</c> is one edit from <c>from</c>).
    /// </summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>A client's field name as a message shows it: control characters escaped, at most 64 characters.</summary>
    private static string Shown(string name)
    {
        var shown = new StringBuilder();
        foreach (var c in name.Length > 64 ? name[..64] : name)
        {
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return name.Length > 64 ? shown.Append('…').ToString() : shown.ToString();
    }
}
