using System.Reflection;
using System.Text.Json;
using PenguinMails.Data;

namespace PenguinMails.Http;

/// <summary>
/// A query parameter that takes one word of a closed set (<c>sort</c>, <c>order</c>, <c>status</c>, <c>range</c>,
/// <c>environment</c>): the OpenAPI document lists the words as the parameter's <c>enum</c>
/// (OpenApi/QueryParameterSchemas) and <see cref="QueryChoices.Check"/> reads the value against the same list. The
/// words are an enum type's names in snake_case, or a static list of strings of a type.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute : Attribute
{
    /// <summary>The names of <paramref name="enumType"/>, in snake_case (<c>hard_bounce</c>).</summary>
    public OneOfAttribute(Type enumType) => Values = QueryChoices.Names(enumType);

    /// <summary>The words of the static string list <paramref name="field"/> of <paramref name="owner"/>.</summary>
    public OneOfAttribute(Type owner, string field) =>
        Values = (IReadOnlyList<string>)owner.GetField(field, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!.GetValue(null)!;

    public IReadOnlyList<string> Values { get; }

    /// <summary>Several words may be given, comma-separated (<c>status=draft,scheduled</c>).</summary>
    public bool CommaSeparated { get; init; }
}

/// <summary>
/// How every list reads a word of a closed set from the query string: exactly as the API writes it, as body enums are
/// read (README "Conventions"), and refused otherwise with one <c>VALIDATION_ERROR</c> detail that lists the words and
/// suggests a close one (<c>sort=nmae</c> or <c>status=SENT</c>: "did you mean name?", "did you mean sent?").
/// </summary>
public static class QueryChoices
{
    /// <summary>An enum's names as the API writes them: snake_case, lower case.</summary>
    public static string[] Names(Type enumType) =>
        [.. Enum.GetNames(enumType).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName)];

    /// <summary>
    /// The word of <paramref name="choices"/> that <paramref name="value"/> is, or null: null when no
    /// value was given, null and a detail at <paramref name="field"/> when it names none. A parameter that takes several
    /// values (<paramref name="oneOfSeveral"/>) has the wrong one named in the detail.
    /// </summary>
    public static string? Check(string? value, string field, IReadOnlyList<string> choices, List<ErrorDetail> details, bool oneOfSeveral = false)
    {
        if (value is null)
        {
            return null;
        }

        if (choices.FirstOrDefault(c => c.Equals(value, StringComparison.Ordinal)) is { } chosen)
        {
            return chosen;
        }

        details.Add(new ErrorDetail(field, Refusal(value, field, choices, oneOfSeveral)));
        return null;
    }

    /// <summary>The member of <typeparamref name="TEnum"/> that <paramref name="value"/> names (snake_case); else as <see cref="Check"/>.</summary>
    public static TEnum? Check<TEnum>(string? value, string field, List<ErrorDetail> details, bool oneOfSeveral = false) where TEnum : struct, Enum =>
        Check(value, field, Words<TEnum>.Names, details, oneOfSeveral) is { } chosen ? Words<TEnum>.Values[Array.IndexOf(Words<TEnum>.Names, chosen)] : null;

    /// <summary>The API's word for an enum member (<c>SuppressionReason.HardBounce</c> is <c>hard_bounce</c>), for messages.</summary>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Array.IndexOf(Words<TEnum>.Values, value) is var at and >= 0 ? Words<TEnum>.Names[at] : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>An enum's words and members, read once per type rather than on every request.</summary>
    private static class Words<TEnum> where TEnum : struct, Enum
    {
        public static readonly string[] Names = QueryChoices.Names(typeof(TEnum));
        public static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    }

    /// <summary>
    /// "field must be one of a, b, c." ("field 'x' is not one of a, b, c." for one of several values), with
    /// ": did you mean b?" instead of the full stop when one is close.
    /// </summary>
    private static string Refusal(string value, string field, IReadOnlyList<string> choices, bool oneOfSeveral)
    {
        var listed = choices.Count == 2 ? $"{choices[0]} or {choices[1]}" : string.Join(", ", choices);
        var must = oneOfSeveral ? $"{field} '{TextClip.Shortened(value, 64)}' is not one of {string.Join(", ", choices)}"
            : choices.Count == 2 ? $"{field} must be {listed}" : $"{field} must be one of {listed}";
        return Suggestions.Closest(value, [.. choices]) is { } close ? $"{must}: did you mean {close}?" : must + ".";
    }
}
