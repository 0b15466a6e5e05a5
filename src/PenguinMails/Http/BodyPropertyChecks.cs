using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// Runs a check on every request-body property of a chosen kind as the serializer sets it, so that a refusal
/// (<see cref="JsonFieldException"/>) carries the serializer's own path to the field.
/// </summary>
internal static class BodyPropertyChecks
{
    public static void Add(JsonTypeInfo info, Func<Type, bool> applies, Action<object?> check)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Set is { } set && applies(property.PropertyType))
            {
                property.Set = (target, value) =>
                {
                    check(value);
                    set(target, value);
                };
            }
        }
    }
}
