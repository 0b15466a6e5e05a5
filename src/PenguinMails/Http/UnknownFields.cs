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
    /// the message only names the field. <paramref name="prefix"/> (<c>emails[2].</c>) goes before the path of an
    /// object read on its own out of a larger body.
    /// </summary>
    public static bool TryDescribe(JsonException json, JsonSerializerOptions? options, out ErrorDetail detail, string prefix = "")
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
        var field = prefix + Path(json.Path, name);
        var known = Fields(typeName, options);
        detail = new ErrorDetail(field, $"{Shown(field)} is not a field of this request{Suggestions.Hint(field[..^name.Length], name, known ?? [], known is null ? "" : "fields")}");
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

    /// <summary>The names the object of <paramref name="typeName"/> accepts, in the order it declares them; null when not known.</summary>
    private static List<string>? Fields(string typeName, JsonSerializerOptions? options)
    {
        if (options is null || typeof(UnknownFields).Assembly.GetType(typeName) is not { } type)
        {
            return null;
        }

        var info = options.GetTypeInfo(type);
        return info.Kind == JsonTypeInfoKind.Object
            ? info.Properties.Where(p => p.Set is not null).Select(p => p.Name).ToList()
            : null;
    }

    /// <summary>A client's field name as a message shows it: control characters escaped, at most 64 characters.</summary>
    public static string Shown(string name)
    {
        var shown = new StringBuilder();
        foreach (var c in name.Length > 64 ? name[..64] : name)
        {
            shown.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c);
        }

        return name.Length > 64 ? shown.Append('…').ToString() : shown.ToString();
    }
}
