using System.Globalization;
using System.Text;

namespace PenguinMails;

/// <summary>Builds a query string (<c>?a=1&amp;b=x</c>) from the set options, skipping nulls, escaping values.</summary>
internal sealed class QueryBuilder
{
    private readonly StringBuilder text = new();

    public QueryBuilder Add(string name, string? value)
    {
        if (value is not null)
        {
            text.Append(text.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return this;
    }

    public QueryBuilder Add(string name, int? value) => Add(name, value?.ToString(CultureInfo.InvariantCulture));

    public QueryBuilder Add(string name, bool? value) => Add(name, value is null ? null : value.Value ? "true" : "false");

    public QueryBuilder Add(string name, IReadOnlyList<string>? values)
    {
        foreach (var value in values ?? [])
        {
            Add(name, value);
        }

        return this;
    }

    public override string ToString() => text.ToString();
}
