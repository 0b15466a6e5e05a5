using System.ComponentModel.DataAnnotations;

namespace PenguinMails.Http;

/// <summary>
/// <see cref="StringLengthAttribute"/> counted in characters — Unicode code points, as JSON Schema's <c>maxLength</c>
/// (the OpenAPI document's) and PostgreSQL's <c>varchar(n)</c> count them — rather than UTF-16 units, so that an emoji
/// or a rare CJK character is one character, not two. Still a <see cref="StringLengthAttribute"/>, so the OpenAPI
/// document shows the same <c>minLength</c>/<c>maxLength</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter)]
public sealed class TextLengthAttribute(int maximumLength) : StringLengthAttribute(maximumLength)
{
    /// <summary>The number of characters (code points) of <paramref name="text"/>: a surrogate pair counts once.</summary>
    public static int Count(string text)
    {
        var count = text.Length;
        foreach (var c in text)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }

    public override bool IsValid(object? value) =>
        value is not string text || Count(text) is var count && count >= MinimumLength && count <= MaximumLength;
}
