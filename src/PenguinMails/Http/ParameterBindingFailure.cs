using System.Text.Json;
using System.Text.RegularExpressions;

namespace PenguinMails.Http;

/// <summary>
/// Turns the framework's parameter binding failures (<c>Failed to bind parameter "Nullable&lt;int&gt; Limit" from
/// "abc".</c>) into a detail naming the parameter as the client wrote it and the values it takes, without the
/// .NET type name the framework's message carries.
/// </summary>
internal static partial class ParameterBindingFailure
{
    public static bool TryDescribe(string message, out ErrorDetail detail, out bool missing)
    {
        detail = null!;
        missing = false;
        if (Failed().Match(message) is { Success: true } failed)
        {
            var field = FieldName(failed.Groups["name"].Value);
            detail = new ErrorDetail(field, Rule(field, failed.Groups["type"].Value));
            return true;
        }

        if (Required().Match(message) is { Success: true } required)
        {
            var field = FieldName(required.Groups["name"].Value);
            detail = new ErrorDetail(field, $"{field} is required.");
            missing = true;
            return true;
        }

        return false;
    }

    /// <summary>What the parameter takes, from its name (limit has its range) or else its type.</summary>
    private static string Rule(string field, string type)
    {
        if (field == "limit")
        {
            return Paging.LimitRule;
        }

        var bare = type.StartsWith("Nullable<", StringComparison.Ordinal) ? type["Nullable<".Length..^1] : type;
        return bare.ToLowerInvariant() switch
        {
            "int" or "int32" or "long" or "int64" or "short" or "int16" => $"{field} must be a whole number.",
            "double" or "decimal" or "float" or "single" => $"{field} must be a number.",
            "bool" or "boolean" => $"{field} must be true or false.",
            "guid" => $"{field} must be an id in the form 00000000-0000-0000-0000-000000000000.",
            "datetimeoffset" or "datetime" => Timestamps.QueryRule(field),
            _ => $"{field} has a value this parameter does not take.",
        };
    }

    private static string FieldName(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    [GeneratedRegex("^Failed to bind parameter \"(?<type>.+) (?<name>[^ \"]+)\" from \".*\"\\.?$", RegexOptions.Singleline)]
    private static partial Regex Failed();

    [GeneratedRegex("^Required parameter \"(?<type>.+) (?<name>[^ \"]+)\" was not provided", RegexOptions.Singleline)]
    private static partial Regex Required();
}
