namespace PenguinMails.Templates;

/// <summary>
/// What one template text reads: variable paths that must be given (<c>name</c>, <c>customer.name</c>), and paths
/// it only tests.
/// </summary>
internal sealed record TemplateScan(IReadOnlySet<string> Required, IReadOnlySet<string> Optional, string? Error);

/// <summary>
/// Walks the <c>{{ }}</c> expressions of a template that Handlebars.Net already compiled, to find the variable
/// paths it reads from the top-level context (Handlebars.Net does not say) and to refuse what the renderer does
/// not offer: helpers other than if/unless/each/with/lookup, partials, decorators, raw blocks, inverted sections.
/// A path is optional when it is only the condition of #if/#unless, or read inside an #if testing it or a path
/// above it (<c>{{#if customer}}{{customer.name}}{{/if}}</c>); paths read inside #each/#with belong to the item,
/// unless reached through ../ or @root.
/// </summary>
internal static class TemplateReferences
{
    public static readonly string[] BlockHelpers = ["if", "unless", "each", "with"];
    private static readonly string[] Literals = ["true", "false", "null", "undefined"];

    private sealed class Block(string helper, string? guard)
    {
        public string Helper { get; } = helper;
        public string? Guard { get; set; } = guard;
        public bool InElse { get; set; }
        public bool ChangesContext => Helper is "each" or "with" && !InElse;
        public bool Guards => Guard is not null && (Helper == "if" ? !InElse : Helper == "unless" && InElse);
    }

    public static TemplateScan Scan(string text)
    {
        var required = new HashSet<string>(StringComparer.Ordinal);
        var optional = new HashSet<string>(StringComparer.Ordinal);
        var blocks = new Stack<Block>();
        foreach (var (inner, at) in TemplateExpressions.Enumerate(text))
        {
            if (inner is null)
            {
                return Fail(text, at, "raw blocks ({{{{ }}}}) are not supported");
            }

            var error = Visit(inner, blocks, required, optional);
            if (error is not null)
            {
                return Fail(text, at, error);
            }
        }

        optional.ExceptWith(required);
        return new TemplateScan(required, optional, null);
    }

    private static string? Visit(string inner, Stack<Block> blocks, HashSet<string> required, HashSet<string> optional)
    {
        var depth = blocks.Count(b => b.ChangesContext);
        var guards = blocks.Where(b => b.Guards).Select(b => b.Guard!).ToList();
        void Read(string? name, bool condition)
        {
            if (name is not null)
            {
                (condition || guards.Any(guard => VariablePaths.IsWithin(name, guard)) ? optional : required).Add(name);
            }
        }

        if (inner.Length > 0 && inner[0] is not ('>' or '*') && TemplateExpressions.HasHashArgument(inner))
        {
            return HashArguments;
        }

        switch (inner.Length > 0 ? inner[0] : ' ')
        {
            case '>':
                return "partials ({{> name}}) are not supported";
            case '*':
                return "decorators are not supported";
            case '/':
                if (blocks.Count > 0)
                {
                    blocks.Pop();
                }

                return null;
            case '^' when inner.Length == 1:
                return blocks.Count == 0 ? ElseOutsideBlock : Else(blocks, []);
            case '^':
                return "inverted sections ({{^name}}) are not supported; use {{#unless name}}";
            case '#':
                var call = TemplateExpressions.Tokenize(inner[1..]);
                if (call.Count == 0 || !BlockHelpers.Contains(call[0].Text))
                {
                    return $"unknown block '{{{{#{(call.Count > 0 ? call[0].Text : "")}}}}}'; blocks are {{{{#if}}}}, {{{{#unless}}}}, {{{{#each}}}} and {{{{#with}}}}";
                }

                var helper = call[0].Text;
                if (TemplateExpressions.ArgumentCount(call) != 1)
                {
                    return $"{{{{#{helper}}}}} takes exactly one argument";
                }

                var conditional = helper is "if" or "unless";
                if (Collect(call, 1, depth, name => Read(name, conditional)) is { } invalid)
                {
                    return invalid;
                }

                blocks.Push(new Block(helper, conditional ? GuardOf(call, depth) : null));
                return null;
        }

        var tokens = TemplateExpressions.Tokenize(inner);
        if (tokens.Count > 0 && tokens[0].Text == "else")
        {
            return blocks.Count == 0 ? ElseOutsideBlock : Else(blocks, tokens.Skip(1).ToList(), depth, Read);
        }

        if (tokens.Count == 1 && tokens[0].Text == "lookup")
        {
            return LookupArguments;
        }

        if (tokens.Count == 1 && (tokens[0].Kind == TokenKind.String || IsLiteral(tokens[0].Text)))
        {
            return $"{{{{{tokens[0].Text}}}}} names no variable and writes nothing: write fixed text outside {{{{ }}}}";
        }

        if (tokens.Count > 1 && tokens[0].Text != "lookup")
        {
            return $"unknown helper '{tokens[0].Text}'; the only helper outside blocks is lookup";
        }

        if (tokens.Count > 1 && TemplateExpressions.ArgumentCount(tokens) != 2)
        {
            return LookupArguments;
        }

        return Collect(tokens, tokens.Count > 1 ? 1 : 0, depth, name => Read(name, false));
    }

    private const string LookupArguments = "lookup takes exactly two arguments: {{lookup object key}}";

    private const string HashArguments = "hash arguments (name=value) are not supported: no helper here takes them";

    private const string ElseOutsideBlock = "{{else}} is outside any block: it belongs inside {{#if}}, {{#unless}}, {{#each}} or {{#with}}";

    private static bool IsLiteral(string text) => Literals.Contains(text)
        || (text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-') && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _));

    /// <summary>
    /// Why a word is not a path Handlebars reads as written (<c>a..b</c>, <c>a.</c>, <c>a//b</c>: an empty segment, which
    /// Handlebars.Net skips, reading <c>a.b</c>), or null. Leading <c>../</c> steps, <c>.</c>, <c>./x</c> and <c>[ ]</c> segments are fine.
    /// </summary>
    private static string? PathProblem(string word)
    {
        var path = word;
        while (path.StartsWith("../", StringComparison.Ordinal))
        {
            path = path[3..];
        }

        path = path.StartsWith("./", StringComparison.Ordinal) ? path[2..] : path;
        if (path is "." or "this" || path.Contains('[', StringComparison.Ordinal) || IsLiteral(path))
        {
            return null;
        }

        var segments = path.Split('.', '/');
        return segments.Any(s => s.Length == 0) ? $"'{word}' is not a variable path: a path's parts are names joined by single dots (customer.name)" : null;
    }

    /// <summary>{{else}} (or {{else if …}}) inside the innermost open block; callers have refused one outside any block.</summary>
    private static string? Else(Stack<Block> blocks, List<Token> chained, int depth = 0, Action<string?, bool>? read = null)
    {
        var block = blocks.Peek();
        if (chained.Count == 0)
        {
            block.InElse = true;
            return null;
        }

        if (chained[0].Text is not ("if" or "unless") || TemplateExpressions.ArgumentCount(chained) != 1)
        {
            return "only {{else if condition}} or {{else unless condition}} may follow else";
        }

        // {{else if b}} closes the current branch and opens one guarded by b, under the same {{/if}}.
        if (Collect(chained, 1, depth, name => read!(name, true)) is { } invalid)
        {
            return invalid;
        }

        blocks.Pop();
        blocks.Push(new Block(chained[0].Text, GuardOf(chained, depth)));
        return null;
    }

    private static string? GuardOf(List<Token> call, int depth) =>
        call.Count == 2 && call[1].Kind == TokenKind.Word ? VariablePath(call[1].Text, depth) : null;

    private static string? Collect(List<Token> tokens, int from, int depth, Action<string?> read)
    {
        for (var i = from; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == TokenKind.Open && i + 1 < tokens.Count && tokens[i + 1].Text != "lookup")
            {
                return $"unknown helper '{tokens[i + 1].Text}' in a subexpression; only lookup is available";
            }

            if (token.Kind == TokenKind.Word && !(i > 0 && tokens[i - 1].Kind == TokenKind.Open))
            {
                if (PathProblem(token.Text) is { } problem)
                {
                    return problem;
                }

                if (ParentSteps(token.Text) > depth)
                {
                    return $"'{token.Text}' climbs above the top-level variables: "
                        + (depth == 0 ? "outside #each and #with, write it without ../" : $"only {depth} ../ can be used here");
                }

                read(VariablePath(token.Text, depth));
            }
        }

        return null;
    }

    /// <summary>The number of leading <c>../</c> of a path: each climbs out of one #each or #with.</summary>
    private static int ParentSteps(string path)
    {
        var steps = 0;
        while (path.AsSpan(steps * 3).StartsWith("../", StringComparison.Ordinal))
        {
            steps++;
        }

        return steps;
    }

    /// <summary>
    /// The variable path (<c>customer.name</c>, dot-separated) an expression reads from the top-level context at this
    /// context depth, or null (a literal, @data, an item's member).
    /// </summary>
    internal static string? VariablePath(string path, int depth)
    {
        if (path.Length == 0 || path[0] is '"' or '\'' || IsLiteral(path))
        {
            return null;
        }

        if (path.StartsWith("@root", StringComparison.Ordinal))
        {
            return VariablePath(path[5..].TrimStart('.', '/'), 0);
        }

        if (path[0] == '@')
        {
            return null;
        }

        while (path.StartsWith("../", StringComparison.Ordinal))
        {
            path = path[3..];
            depth = Math.Max(0, depth - 1);
        }

        if (path == "this" || path == ".")
        {
            return null;
        }

        if (path.StartsWith("this.", StringComparison.Ordinal) || path.StartsWith("this/", StringComparison.Ordinal))
        {
            path = path[5..];
        }
        else if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        if (depth > 0 || path.Length == 0)
        {
            return null;
        }

        return VariablePaths.Normalize(path);
    }

    private static TemplateScan Fail(string text, int at, string error)
    {
        var line = text.AsSpan(0, at).Count('\n') + 1;
        var column = at - (text.LastIndexOf('\n', Math.Max(0, at - 1)) + 1) + 1;
        return new TemplateScan(new HashSet<string>(), new HashSet<string>(), $"{error} (line {line}, column {column}).");
    }
}
