using System.Text.Json.Serialization.Metadata;

namespace PenguinMails.Http;

/// <summary>
/// Runs a check on every request-body property of a chosen kind as the serializer sets it, so that a refusal
/// (<see cref="JsonFieldException"/>) carries the serializer's own path to the field.
/// </summary>
internal static class BodyPropertyChecks
{
    /// <summary>Wraps the setter of each property of <paramref name="info"/> whose type <paramref name="applies"/> to, but those of <paramref name="except"/>.</summary>
    public static void Add(JsonTypeInfo info, Func<Type, bool> applies, Action<object?> check, IReadOnlySet<JsonPropertyInfo>? except = null)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            if (property.Set is { } set && applies(property.PropertyType) && except?.Contains(property) != true)
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
