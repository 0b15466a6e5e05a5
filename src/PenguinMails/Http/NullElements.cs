using System.Collections;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// Lists of references in request bodies (<c>tags</c>, <c>variables</c>, <c>permissions</c>, <c>emails</c>, …) never
/// hold a null: <c>[null]</c> is refused with <c>400 VALIDATION_ERROR</c> naming the element (<c>variables[0]</c>), so
/// no handler meets a null it did not expect. Lists of <see cref="JsonNode"/> keep their nulls: there null is a value.
/// A contract modifier on the setter of every such property, so the serializer's own path names the field. A list whose
/// items its handler judges one by one (<see cref="ItemsJudgedApartAttribute"/>: the batch's <c>emails</c>) keeps its
/// nulls, for the handler to refuse that item alone.
/// </summary>
public static class NullElements
{
    public static void Refuse(JsonTypeInfo info)
    {
        if (info.Kind == JsonTypeInfoKind.Object)
        {
            var apart = info.Properties.Where(p => p.AttributeProvider?.IsDefined(typeof(ItemsJudgedApartAttribute), true) == true).ToHashSet();
            BodyPropertyChecks.Add(info, type => IsListOfReferences(type), value => Check(value as IEnumerable), apart);
        }
    }

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

/// <summary>
/// On a list property of a request body whose handler judges each item apart and answers a result per item (README
/// "Sending email": a batch's valid items are accepted even when others are not): a null item is that item's error,
/// not the whole body's.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsJudgedApartAttribute : Attribute;
