using System.ComponentModel.DataAnnotations;

namespace PenguinMails.Http;

/// <summary>
/// <see cref="StringLengthAttribute"/> counted in characters — Unicode code points, as JSON Schema's <c>maxLength</c>
/// (the OpenAPI document's) and PostgreSQL's <c>varchar(n)</c> count them — rather than UTF-16 units, so that an emoji
/// or a rare CJK character is one character, not two. Still a <see cref="StringLengthAttribute"/>, so the OpenAPI
/// document shows the same <c>minLength</c>/<c>maxLength</c>. With a <see cref="StringLengthAttribute.MinimumLength"/> of 1 or
/// more, text of white space only is refused as blank ("name must not be blank."), as <see cref="RequiredAttribute"/> refuses
/// it on create: an edit cannot make blank what a create could not.
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
        value is not string text || Count(text) is var count && count >= MinimumLength && count <= MaximumLength && !IsBlank(text);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && IsBlank(text)
            ? new ValidationResult(BlankMessage(), validationContext.MemberName is { } member ? [member] : null)
            : base.IsValid(value, validationContext);

    private bool IsBlank(string text) => MinimumLength > 0 && string.IsNullOrWhiteSpace(text);

    /// <summary>"name must not be blank." from the field named at the start of the message ("name must have 1 to 200 characters.").</summary>
    private string BlankMessage()
    {
        var message = ErrorMessageString;
        var end = message.IndexOf(' ', StringComparison.Ordinal);
        return end > 0 ? $"{message[..end]} must not be blank." : message;
    }
}
