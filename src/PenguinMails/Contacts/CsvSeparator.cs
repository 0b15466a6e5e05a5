namespace PenguinMails.Contacts;

/// <summary>
/// The field separator of an import file, read from its header row: comma (RFC 4180), semicolon (what Excel writes
/// where the comma is the decimal mark) or tab. The one whose split names an <c>email</c> column wins; otherwise the
/// one that splits the header into the most fields outside quotes, a comma on a tie.
/// </summary>
internal static class CsvSeparator
{
    private static readonly char[] Candidates = [',', ';', '\t'];

    /// <summary>The separator of <paramref name="header"/>; null for Excel's <c>sep=X</c> first line, which the reader honours itself.</summary>
    public static char? Detect(string header)
    {
        if (header.StartsWith("sep=", StringComparison.OrdinalIgnoreCase) && header.Length == 5)
        {
            return null;
        }

        var withEmail = Candidates.FirstOrDefault(c => Split(header, c).Any(f => f.Trim().Trim('"').Trim().Equals("email", StringComparison.OrdinalIgnoreCase)));
        return withEmail != default ? withEmail : Candidates.MaxBy(c => Split(header, c).Count);
    }

    /// <summary>How a message names the separator: <c>','</c>, <c>';'</c>, or <c>tab</c>.</summary>
    public static string Name(char separator) => separator == '\t' ? "tab" : $"'{separator}'";

    private static List<string> Split(string line, char separator)
    {
        var fields = new List<string>();
        var quoted = false;
        var start = 0;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == separator && !quoted)
            {
                fields.Add(line[start..i]);
                start = i + 1;
            }
        }

        fields.Add(line[start..]);
        return fields;
    }
}
