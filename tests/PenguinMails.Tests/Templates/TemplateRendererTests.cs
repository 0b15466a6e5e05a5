using System.Text.Json.Nodes;
using PenguinMails.Templates;

namespace PenguinMails.Tests.Templates;

/// <summary>The pure renderer: escaping, Handlebars features, missing variables, one-line subjects.</summary>
public sealed class TemplateRendererTests
{
    private static EmailTemplate Template(string html, string subject = "Hi", string? text = null, List<TemplateVariable>? variables = null) => new()
    {
        Slug = "t", Name = "t", Subject = subject, HtmlBody = html, TextBody = text, Variables = variables ?? [],
        CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
    };

    private static Dictionary<string, JsonNode?> Vars(string json) =>
        JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone());

    private static TemplateRenderResult.Rendered Rendered(EmailTemplate t, string json) =>
        Assert.IsType<TemplateRenderResult.Rendered>(TemplateRenderer.Render(t, Vars(json)));

    [Fact]
    public void Variable_IsEscapedInHtml_RawInTextAndSubject()
    {
        var t = Template("<p>{{name}}</p>", subject: "For {{name}}", text: "Dear {{name}}");

        var r = Rendered(t, """{"name": "<script>alert('x')</script>"}""");

        Assert.Equal("<p>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</p>", r.Html);
        Assert.Equal("Dear <script>alert('x')</script>", r.Text);
        Assert.Equal("For <script>alert('x')</script>", r.Subject);
    }

    [Fact]
    public void TripleStash_IsRawInHtml()
    {
        var r = Rendered(Template("{{{snippet}}}"), """{"snippet": "<b>bold</b>"}""");

        Assert.Equal("<b>bold</b>", r.Html);
    }

    [Fact]
    public void NestedEachAndIf_Render()
    {
        var t = Template("{{user.name}}:{{#each items}}[{{@index}} {{this.title}} {{../currency}}{{price}}]{{/each}}{{#if vip}} VIP{{else}} regular{{/if}}");

        var r = Rendered(t, """{"user": {"name": "Ann"}, "currency": "$", "vip": false, "items": [{"title": "A", "price": 1.5}, {"title": "B", "price": 20}]}""");

        Assert.Equal("Ann:[0 A $1.5][1 B $20] regular", r.Html);
    }

    [Fact]
    public void MissingTopLevelVariable_IsNamed_ItemMembersAreNot()
    {
        var t = Template("{{greeting}} {{user.name}} {{#each items}}{{title}}{{/each}}", subject: "{{subject_line}}");

        var result = TemplateRenderer.Render(t, Vars("""{"items": []}"""));

        var missing = Assert.IsType<TemplateRenderResult.MissingVariables>(result);
        Assert.Equal(["greeting", "subject_line", "user.name"], missing.Names);
    }

    [Fact]
    public void VariableOnlyTestedOrGuardedByIf_IsOptional()
    {
        var t = Template("Hello{{#if company}} from {{company}}{{/if}}{{#unless quiet}}!{{/unless}}");

        Assert.Equal("Hello!", Rendered(t, "{}").Html);
    }

    [Fact]
    public void DeclaredVariables_OverrideInference()
    {
        var t = Template("{{nickname}}{{#if plan}}{{plan}}{{/if}}",
            variables: [new TemplateVariable("nickname", Required: false), new TemplateVariable("plan", Required: true)]);

        var missing = Assert.IsType<TemplateRenderResult.MissingVariables>(TemplateRenderer.Render(t, Vars("{}")));

        Assert.Equal(["plan"], missing.Names);
    }

    [Fact]
    public void RootAndThisAndDataVariables_AreResolved()
    {
        var t = Template("{{this.a}}{{#with box}}{{inner}}{{@root.b}}{{/with}}{{#each list}}{{@key}}{{/each}}");

        var missing = Assert.IsType<TemplateRenderResult.MissingVariables>(TemplateRenderer.Render(t, Vars("{}")));

        Assert.Equal(["a", "b", "box", "list"], missing.Names);
    }

    [Fact]
    public void NullVariable_CountsAsGiven_AndRendersEmpty()
    {
        Assert.Equal("[]", Rendered(Template("[{{name}}]"), """{"name": null}""").Html);
    }

    [Fact]
    public void LineBreaksFromVariables_NeverReachTheSubject()
    {
        var r = Rendered(Template("x", subject: "Hi {{name}}"), """{"name": "Ann\r\nBcc: victim@example.com"}""");

        Assert.Equal("Hi Ann Bcc: victim@example.com", r.Subject);
    }

    [Fact]
    public void ChangedTemplate_IsCompiledAgain_EvenWithinTheSameInstant()
    {
        var t = Template("one");
        Assert.Equal("one", Rendered(t, "{}").Html);

        t.HtmlBody = "two";
        t.Version++;

        Assert.Equal("two", Rendered(t, "{}").Html);
    }

    [Theory]
    [InlineData("{{#if x}}open", "html_body", "Handlebars syntax error: {{#if}} is not closed: it needs {{/if}}.")]
    [InlineData("{{name", "html_body", "Handlebars syntax error")]
    [InlineData("{{/if}}", "html_body", "Handlebars syntax error: {{/if}} closes no open block.")]
    [InlineData("{{#if a}}x{{/each}}", "html_body", "Handlebars syntax error")]
    [InlineData("{{#each}}{{/each}}", "html_body", "{{#each}} takes exactly one argument (line 1, column 1).")]
    [InlineData("{{#if}}x{{/if}}", "html_body", "{{#if}} takes exactly one argument")]
    [InlineData("A{{else}}B", "html_body", "{{else}} is outside any block: it belongs inside {{#if}}, {{#unless}}, {{#each}} or {{#with}} (line 1, column 2).")]
    [InlineData("A{{^}}B", "html_body", "{{else}} is outside any block")]
    [InlineData("{{lookup}}", "html_body", "lookup takes exactly two arguments")]
    [InlineData("{{a=b}}", "html_body", "hash arguments (name=value) are not supported")]
    [InlineData("{{#each items key=1}}x{{/each}}", "html_body", "hash arguments (name=value) are not supported")]
    [InlineData("{{a..b}}", "html_body", "'a..b' is not a variable path")]
    [InlineData("{{#if a.}}x{{/if}}", "html_body", "'a.' is not a variable path")]
    [InlineData("{{lookup a//b \"k\"}}", "html_body", "'a//b' is not a variable path")]
    [InlineData("{{\"str\"}}", "html_body", "{{\"str\"}} names no variable and writes nothing")]
    [InlineData("{{1}}", "html_body", "{{1}} names no variable and writes nothing")]
    [InlineData("{{true}}", "html_body", "{{true}} names no variable and writes nothing")]
    [InlineData("{{foo}", "html_body", "Handlebars syntax error")]
    [InlineData("{{shout name}}", "html_body", "unknown helper 'shout'")]
    [InlineData("ok\n {{> footer}}", "html_body", "partials ({{> name}}) are not supported (line 2, column 2)")]
    [InlineData("{{#section}}x{{/section}}", "html_body", "unknown block")]
    [InlineData("{{lookup user}}", "html_body", "lookup takes exactly two arguments")]
    [InlineData("Hi {{../name}}", "html_body", "'../name' climbs above the top-level variables")]
    [InlineData("{{#if ../vip}}x{{/if}}", "html_body", "'../vip' climbs above")]
    [InlineData("{{lookup ../map key}}", "html_body", "'../map' climbs above")]
    [InlineData("{{#each a}}{{#with b}}{{../../../c}}{{/with}}{{/each}}", "html_body", "only 2 ../ can be used here")]
    public void InvalidTemplate_IsRefusedAtSave_NamingFieldAndProblem(string html, string field, string message)
    {
        var problems = TemplateEngine.Validate("Hi", html, null, []);

        var problem = Assert.Single(problems);
        Assert.Equal(field, problem.Field);
        Assert.Contains(message, problem.Message);
        // In the API's words: no parser type names, no 0-based positions.
        Assert.DoesNotMatch(@"[A-Z][a-z]+Expression|Occured|got raw", problem.Message);
    }

    [Fact]
    public void ValidTemplate_WithCommentsEscapesAndLookup_IsAccepted()
    {
        var html = "{{!-- a {{comment}} --}}{{! don't }}\\{{literal}} {{lookup user \"name\"}} {{~#if a~}} x {{~else if b}} y {{~/if}}";

        Assert.Empty(TemplateEngine.Validate("Hi", html, null, []));
        var missing = Assert.IsType<TemplateRenderResult.MissingVariables>(TemplateRenderer.Render(Template(html), Vars("{}")));
        Assert.Equal(["user"], missing.Names);
    }

    [Theory]
    [InlineData("Hi {{customer.name}},", """{"customer": {}}""", "customer.name")]
    [InlineData("Hi {{customer.name}},", """{}""", "customer.name")]
    [InlineData("{{customer/address/city}}", """{"customer": {"address": {}}}""", "customer.address.city")]
    [InlineData("{{@root.order.[total price]}}", """{"order": {"id": 1}}""", "order.total price")]
    [InlineData("{{#with box}}{{inner}}{{/with}}{{box.label}}", """{"box": {"inner": 1}}""", "box.label")]
    [InlineData("{{#if customer.vip}}VIP{{/if}}{{customer.name}}", """{"customer": {"vip": true}}""", "customer.name")]
    public void MissingVariables_RequiredPathsNotOnlyTopLevelNames(string html, string json, string missingPath)
    {
        var missing = Assert.IsType<TemplateRenderResult.MissingVariables>(TemplateRenderer.Render(Template(html), Vars(json)));

        Assert.Equal([missingPath], missing.Names);
        Assert.Equal("variables." + missingPath, missing.ToError().Details[0].Field);
    }

    [Theory]
    [InlineData("Hi {{customer.name}},", """{"customer": {"name": "Ann"}}""", "Hi Ann,")]
    [InlineData("Hi {{customer.name}},", """{"customer": {"name": null}}""", "Hi ,")]
    [InlineData("Hi {{customer.name}},", """{"customer": null}""", "Hi ,")]
    [InlineData("{{#if customer}}Hi {{customer.name}}{{/if}}!", """{"customer": {"id": 1}}""", "Hi !")]
    [InlineData("{{#if customer.name}}Hi {{customer.name}}{{/if}}!", """{"customer": {}}""", "!")]
    public void GivenOrGuardedPaths_Render(string html, string json, string expected)
    {
        Assert.Equal(expected, Rendered(Template(html), json).Html);
    }

    [Theory]
    [InlineData("{{b}}|{{t}}", """{"b": false, "t": true}""", "false|true")]
    [InlineData("{{obj}}", """{"obj": {"k": "v", "n": 1}}""", "[object Object]")]
    [InlineData("{{arr}}", """{"arr": [1, "a", true]}""", "1,a,true")]
    [InlineData("{{#each arr}}{{this}};{{/each}}", """{"arr": [true, {"k": "v"}, 2.5]}""", "true;[object Object];2.5;")]
    [InlineData("{{n}}", """{"n": 123456789012345678901234567890123}""", "123456789012345678901234567890123")]
    [InlineData("{{n}}", """{"n": 0.1}""", "0.1")]
    [InlineData("{{#if b}}yes{{else}}no{{/if}}", """{"b": false}""", "no")]
    public void VariableValues_ReadAsJsonWouldWriteThem_NotAsDotNetFormatsThem(string html, string json, string expected)
    {
        Assert.Equal(expected, Rendered(Template(html), json).Html);
    }

    [Fact]
    public void DeclaredOptionalName_MakesEveryPathUnderItOptional()
    {
        var t = Template("{{customer.name}} {{customer.email}}", variables: [new TemplateVariable("customer", Required: false)]);

        Assert.Equal(" ", Rendered(t, "{}").Html);
    }

    [Fact]
    public void MultiLineSubjectTemplate_IsRefused()
    {
        var problem = Assert.Single(TemplateEngine.Validate("Hi\nthere", "x", null, []));

        Assert.Equal("subject", problem.Field);
    }
}
