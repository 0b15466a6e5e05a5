using HandlebarsDotNet;
using HandlebarsDotNet.Compiler;
using HandlebarsDotNet.Iterators;
using HandlebarsDotNet.MemberAccessors;
using HandlebarsDotNet.ObjectDescriptors;
using HandlebarsDotNet.PathStructure;

namespace PenguinMails.Templates;

/// <summary>
/// What a template sees of a JSON string, number or boolean: what Handlebars (JavaScript) sees of the same JSON, never
/// the .NET value's members. Handlebars.Net describes any object by its public properties, so <c>{{#each v}}</c> over the
/// string "abc" wrote <c>Length=3</c>, and <c>{{price.Scale}}</c> the scale of a decimal. Here a string has its
/// <c>length</c> and its indexes (<c>{{v.[0]}}</c>, UTF-16 units as in JavaScript), an array its <c>length</c> and items
/// (not <c>Count</c>); numbers and booleans have no members; and <c>{{#each}}</c> over any of
/// them writes its <c>{{else}}</c> part, as handlebars.js's <c>each</c> does for what is not an object or an array.
/// </summary>
internal sealed class JsonValueDescriptors : IObjectDescriptorProvider
{
    public static readonly JsonValueDescriptors Instance = new();

    private static readonly Dictionary<Type, ObjectDescriptor> Descriptors = new[]
    {
        Describe(typeof(string), new StringMembers()),
        Describe(typeof(long), new NoMembers()),
        Describe(typeof(decimal), new NoMembers()),
        Describe(typeof(bool), new NoMembers()),
        new ObjectDescriptor(typeof(List<object?>), new ListMembers(), static (_, _) => Array.Empty<ChainSegment>(),
            static _ => new ListIterator<List<object?>, object?>()),
        new ObjectDescriptor(typeof(JsonObjectModel), new ObjectMembers(),
            static (_, o) => ((JsonObjectModel)o).Members.Keys.Select(key => ChainSegment.Create(key)).ToArray(),
            static descriptor => new ObjectIterator(descriptor)),
    }.ToDictionary(d => d.DescribedType);

    public bool TryGetDescriptor(Type type, out ObjectDescriptor value) =>
        Descriptors.TryGetValue(type, out value!);

    private static ObjectDescriptor Describe(Type type, IMemberAccessor members) =>
        new(type, members, static (_, _) => Array.Empty<ChainSegment>(), static _ => new NothingToIterate());

    private sealed class StringMembers : IMemberAccessor
    {
        public bool TryGetValue(object instance, ChainSegment memberName, out object? value)
        {
            var text = (string)instance;
            var name = memberName.TrimmedValue;
            value = name == "length" ? text.Length : Index(name) is { } at && at < text.Length ? text[at].ToString() : null;
            return value is not null;
        }
    }

    /// <summary>An array's <c>length</c> and its items by index (<c>{{items.[0]}}</c>), not a .NET list's <c>Count</c>.</summary>
    private sealed class ListMembers : IMemberAccessor
    {
        public bool TryGetValue(object instance, ChainSegment memberName, out object? value)
        {
            var items = (List<object?>)instance;
            var name = memberName.TrimmedValue;
            (var found, value) = name == "length" ? (true, items.Count)
                : Index(name) is { } at && at < items.Count ? (true, items[at])
                : (false, (object?)null);
            return found;
        }
    }

    /// <summary>A JSON object's members, by their names as sent.</summary>
    private sealed class ObjectMembers : IMemberAccessor
    {
        public bool TryGetValue(object instance, ChainSegment memberName, out object? value) =>
            ((JsonObjectModel)instance).Members.TryGetValue(memberName.TrimmedValue, out value);
    }

    /// <summary>A member name that is an array index as JavaScript writes one: decimal digits without leading zeros.</summary>
    private static int? Index(string name) =>
        name.Length is > 0 and < 10 && name.All(char.IsAsciiDigit) && (name.Length == 1 || name[0] != '0')
            ? int.Parse(name, System.Globalization.CultureInfo.InvariantCulture)
            : null;

    private sealed class NoMembers : IMemberAccessor
    {
        public bool TryGetValue(object instance, ChainSegment memberName, out object? value)
        {
            value = null;
            return false;
        }
    }

    private sealed class NothingToIterate : IIterator
    {
        public void Iterate(in EncodedTextWriter writer, BindingContext context, ChainSegment[] blockParamsVariables, object input,
            TemplateDelegate template, TemplateDelegate ifEmpty) => ifEmpty(writer, context);
    }
}
