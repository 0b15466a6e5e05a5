namespace PenguinMails.Templates;

internal enum TokenKind
{
    Word,
    String,
    Open,
    Close,
}

internal readonly record struct Token(TokenKind Kind, string Text);

/// <summary>Finds the <c>{{ }}</c> expressions of a template text and splits one into its words.</summary>
internal static class TemplateExpressions
{
    /// <summary>Each expression's content without braces and whitespace control (null for a raw block), and where it starts.</summary>
    public static IEnumerable<(string? Inner, int At)> Enumerate(string text)
    {
        var i = 0;
        while ((i = text.IndexOf("{{", i, StringComparison.Ordinal)) >= 0)
        {
            var at = i;
            if (i > 0 && text[i - 1] == '\\' && !(i > 1 && text[i - 2] == '\\'))
            {
                i += 2; // \{{ is literal text
                continue;
            }

            if (string.CompareOrdinal(text, i, "{{{{", 0, 4) == 0)
            {
                yield return (null, at);
                yield break;
            }

            if (string.CompareOrdinal(text, i, "{{!--", 0, 5) == 0 || string.CompareOrdinal(text, i, "{{~!--", 0, 6) == 0)
            {
                var end = text.IndexOf("--", i + 5, StringComparison.Ordinal);
                end = end < 0 ? -1 : text.IndexOf("}}", end, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                continue;
            }

            if (text.AsSpan(i + 2).TrimStart('~').StartsWith("!"))
            {
                var end = text.IndexOf("}}", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                continue;
            }

            var triple = string.CompareOrdinal(text, i, "{{{", 0, 3) == 0;
            var open = triple ? 3 : 2;
            var close = CloseOf(text, i + open, triple ? "}}}" : "}}");
            if (close < 0)
            {
                yield break;
            }

            var inner = text[(i + open)..close].Trim().TrimStart('~').TrimEnd('~').Trim();
            i = close + open;
            yield return (inner, at);
        }
    }

    /// <summary>Words, string literals and parentheses; hash keys (<c>key=</c>) and block params (<c>as |x|</c>) dropped.</summary>
    public static List<Token> Tokenize(string inner)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < inner.Length)
        {
            var c = inner[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                var end = inner.IndexOf(c, i + 1);
                end = end < 0 ? inner.Length - 1 : end;
                tokens.Add(new Token(TokenKind.String, inner[i..(end + 1)]));
                i = end + 1;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(new Token(c == '(' ? TokenKind.Open : TokenKind.Close, c.ToString()));
                i++;
            }
            else if (c == '|')
            {
                var end = inner.IndexOf('|', i + 1);
                i = end < 0 ? inner.Length : end + 1;
                if (tokens.Count > 0 && tokens[^1].Text == "as")
                {
                    tokens.RemoveAt(tokens.Count - 1);
                }
            }
            else
            {
                i = Word(inner, i, tokens);
            }
        }

        return tokens;
    }

    /// <summary>Arguments after the helper name at the top level; a subexpression counts as one.</summary>
    public static int ArgumentCount(List<Token> call)
    {
        var (count, depth) = (0, 0);
        foreach (var token in call.Skip(1))
        {
            if (token.Kind == TokenKind.Close)
            {
                depth--;
                continue;
            }

            if (depth == 0)
            {
                count++;
            }

            if (token.Kind == TokenKind.Open)
            {
                depth++;
            }
        }

        return count;
    }

    /// <summary>Whether an expression passes a hash argument (<c>{{name key=value}}</c>): an <c>=</c> outside quotes and <c>[ ]</c>.</summary>
    public static bool HasHashArgument(string inner)
    {
        char? quote = null;
        var bracket = false;
        foreach (var c in inner)
        {
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (bracket)
            {
                bracket = c != ']';
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '[')
            {
                bracket = true;
            }
            else if (c == '=')
            {
                return true;
            }
        }

        return false;
    }

    private static int Word(string inner, int i, List<Token> tokens)
    {
        var start = i;
        while (i < inner.Length && !char.IsWhiteSpace(inner[i]) && inner[i] is not ('(' or ')' or '"' or '\'' or '|'))
        {
            if (inner[i] == '[')
            {
                var end = inner.IndexOf(']', i);
                i = end < 0 ? inner.Length : end + 1;
                continue;
            }

            if (inner[i] == '=')
            {
                start = i + 1; // a hash argument: only its value is read
            }

            i++;
        }

        if (i > start)
        {
            tokens.Add(new Token(TokenKind.Word, inner[start..i]));
        }

        return i;
    }

    private static int CloseOf(string text, int from, string closing)
    {
        char? quote = null;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (string.CompareOrdinal(text, i, closing, 0, closing.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
