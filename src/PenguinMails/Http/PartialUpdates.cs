using System.Collections;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// Marks a PATCH body: a field left out keeps its value, and a field sent as <c>null</c> is refused with
/// <c>400 VALIDATION_ERROR</c> naming it (<c>subject must not be null: leave it out to keep its value.</c>) — unless
/// the field is <see cref="NullClearsAttribute"/>, where null clears it as <c>""</c> or an empty list does. Without
/// this, <c>{"subject": null}</c> was answered 200 and changed nothing (README "Conventions").
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class PartialUpdateAttribute : Attribute;

/// <summary>
/// A field of a <see cref="PartialUpdateAttribute"/> body whose <c>null</c> means the same as its empty value: <c>""</c>
/// for text, <c>[]</c> for a list, <c>{}</c> for an object — an optional text, an allow-list, a set of headers.
/// </summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class NullClearsAttribute : Attribute;

/// <summary>The serializer's side of <see cref="PartialUpdateAttribute"/>: a contract modifier on each field's setter.</summary>
public static class PartialUpdates
{
    public static string NullMessage(string field) => $"{field} must not be null: leave it out to keep its value.";

    public static void Check(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.GetCustomAttribute<PartialUpdateAttribute>() is null)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Set is not { } set)
            {
                continue;
            }

            if (Clears(property))
            {
                var empty = EmptyValue(property.PropertyType);
                property.Set = (target, value) => set(target, value ?? empty());
            }
            else
            {
                property.Set = (target, value) =>
                {
                    if (value is null)
                    {
                        throw new JsonFieldException(NullMessage);
                    }

                    set(target, value);
                };
            }
        }
    }

    /// <summary>Whether null is a value of this field: a PATCH body's other fields refuse it.</summary>
    public static bool Clears(JsonPropertyInfo property) =>
        property.AttributeProvider is MemberInfo member && member.GetCustomAttribute<NullClearsAttribute>() is not null;

    private static Func<object> EmptyValue(Type type)
    {
        if (type == typeof(string))
        {
            return () => "";
        }

        if (typeof(IEnumerable).IsAssignableFrom(type) && type.GetConstructor(Type.EmptyTypes) is { } constructor)
        {
            return () => constructor.Invoke(null);
        }

        throw new InvalidOperationException($"[NullClears] takes text, a list or a dictionary, not {type.Name}.");
    }
}
