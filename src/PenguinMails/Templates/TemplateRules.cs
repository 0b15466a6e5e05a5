using System.Text.RegularExpressions;
using PenguinMails.Http;

namespace PenguinMails.Templates;

/// <summary>What a slug, a subject and a declared variable may be.</summary>
public static partial class TemplateRules
{
    public const int SlugMaxLength = 64;
    public const int SubjectMaxLength = 998;
    public const int BodyMaxLength = 500_000;
    public const string SlugPattern = "^[a-z0-9][a-z0-9._-]{0,63}$";
    public const string SlugMessage = "slug must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit (e.g. welcome-v1).";

    /// <summary>Slugs are looked up case-insensitively: <c>Welcome-V1</c> names <c>welcome-v1</c>.</summary>
    public static string NormalizeSlug(string slug) => slug.Trim().ToLowerInvariant();

    internal static IEnumerable<ErrorDetail> ValidateVariables(IReadOnlyList<TemplateVariable> declared)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < declared.Count; i++)
        {
            var name = declared[i].Name ?? "";
            if (!VariableName().IsMatch(name))
            {
                yield return new ErrorDetail($"variables[{i}].name", "A variable name is a letter or '_' followed by letters, digits or '_' (at most 100).");
            }
            else if (!seen.Add(name))
            {
                yield return new ErrorDetail($"variables[{i}].name", $"The variable '{name}' is declared twice.");
            }

            if (declared[i].Description is { Length: > 500 })
            {
                yield return new ErrorDetail($"variables[{i}].description", "description must have at most 500 characters.");
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex VariableName();
}
