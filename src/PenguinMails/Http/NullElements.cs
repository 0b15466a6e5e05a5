using System.Collections;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// Lists of references in request bodies (<c>tags</c>, <c>variables</c>, <c>permissions</c>, …) never
/// hold a null: <c>[null]</c> is refused with <c>400 VALIDATION_ERROR</c> naming the element (<c>variables[0]</c>), so
/// no handler meets a null it did not expect. Lists of <see cref="JsonNode"/> keep their nulls: there null is a value.
/// A contract modifier on the setter of every such property, so the serializer's own path names the field.
/// </summary>
public static class NullElements
{
    public static void Refuse(JsonTypeInfo info) =>
        BodyPropertyChecks.Add(info, IsListOfReferences, value => Check(value as IEnumerable));

    private static void Check(IEnumerable? items)
    {
        var index = 0;
        foreach (var item in items ?? Array.Empty<object>())
        {
            if (item is null)
            {
                throw new JsonFieldException(field => $"{field} must not be null.", $"[{index}]");
            }

            index++;
        }
    }

    private static bool IsListOfReferences(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || typeof(JsonNode).IsAssignableFrom(type))
        {
            return false;
        }

        var element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericArguments() is [var single] ? single
            : null;
        return element is { IsValueType: false } && element != typeof(object) && !typeof(JsonNode).IsAssignableFrom(element);
    }
}
