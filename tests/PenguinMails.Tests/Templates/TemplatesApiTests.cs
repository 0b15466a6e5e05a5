using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PenguinMails.ApiKeys;
using PenguinMails.Templates;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Templates;

/// <summary>/api/v1/templates through HTTP, and the scoped renderer the send API uses.</summary>
public abstract class TemplatesApiTests(PenguinMailsFactory app)
{
    private const string Root = "/api/v1/templates";

    private async Task<(Guid Tenant, HttpClient Client)> AuthorAsync()
    {
        var tenant = await app.CreateTenantAsync();
        var (key, _) = await app.CreateKeyAsync(tenant, [Permissions.CampaignsWrite, Permissions.EmailsSend]);
        return (tenant, app.Client(key));
    }

    private static object Welcome(string slug = "welcome-v1") => new
    {
        slug, name = "Welcome", subject = "Welcome, {{name}}", html_body = "<h1>Hi {{name}}</h1>{{#if company}}<p>{{company}}</p>{{/if}}",
        text_body = "Hi {{name}}",
    };

    /// <summary>A PATCH that changes nothing (empty, or the values the template already has) makes no new version.</summary>
    [Fact]
    public async Task Update_ThatChangesNothing_KeepsTheVersion()
    {
        var (_, client) = await AuthorAsync();
        await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);

        var empty = await (await client.PatchJsonAsync($"{Root}/welcome-v1", new { })).DataAsync();
        var same = await (await client.PatchJsonAsync($"{Root}/welcome-v1", new { name = "Welcome", text_body = "Hi {{name}}" })).DataAsync();
        var changed = await (await client.PatchJsonAsync($"{Root}/welcome-v1", new { name = "Welcome 2" })).DataAsync();

        Assert.Equal([1, 1, 2], new[] { empty, same, changed }.Select(t => t["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Create_Get_Update_Delete_RoundTrip()
    {
        var (_, client) = await AuthorAsync();

        var created = await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);
        Assert.Equal("welcome-v1", created["slug"]!.GetValue<string>());
        Assert.Equal(["name"], created["required_variables"]!.AsArray().Select(n => n!.GetValue<string>()));

        var read = await (await client.GetAsync($"{Root}/welcome-v1")).DataAsync();
        Assert.Equal("<h1>Hi {{name}}</h1>{{#if company}}<p>{{company}}</p>{{/if}}", read["html_body"]!.GetValue<string>());

        var updated = await (await client.PatchJsonAsync($"{Root}/welcome-v1", new { html_body = "<p>{{greeting}}</p>" })).DataAsync();
        Assert.Equal(2, updated["version"]!.GetValue<int>());
        Assert.Equal("Welcome", updated["name"]!.GetValue<string>());
        Assert.Equal(["greeting", "name"], updated["required_variables"]!.AsArray().Select(n => n!.GetValue<string>()));

        await (await client.DeleteAsync($"{Root}/welcome-v1")).DataAsync();
        await (await client.GetAsync($"{Root}/welcome-v1")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
    }

    [Fact]
    public async Task Create_DuplicateSlug_IsConflict()
    {
        var (_, client) = await AuthorAsync();
        await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);

        var error = await (await client.PostJsonAsync(Root, Welcome())).ErrorAsync(409, "RESOURCE_CONFLICT");

        Assert.Equal("slug", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_SyntaxError_IsValidationErrorNamingTheField()
    {
        var (_, client) = await AuthorAsync();

        var error = await (await client.PostJsonAsync(Root, new { slug = "bad", name = "Bad", subject = "ok", html_body = "<p>{{#if x}}never closed</p>" }))
            .ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("html_body", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("{{#if}} is not closed: it needs {{/if}}", error["details"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABlankHtmlBody_IsRefused_ABlankTextBodyIsNoTextPart()
    {
        var (_, client) = await AuthorAsync();

        var blank = await (await client.PostJsonAsync(Root, new { slug = "blank", name = "Blank", subject = "ok", html_body = " \n\t" }))
            .ErrorAsync(400, "MISSING_REQUIRED_FIELD");
        var made = await (await client.PostJsonAsync(Root, new { slug = "text-blank", name = "T", subject = "ok", html_body = "<p>x</p>", text_body = "  " }))
            .DataAsync(201);
        var patched = await (await client.PatchJsonAsync($"{Root}/text-blank", new { html_body = "\u00a0" })).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("html_body", Assert.Single(blank["details"]!.AsArray())!["field"]!.GetValue<string>());
        Assert.Null(made["text_body"]);
        Assert.Equal("html_body", Assert.Single(patched["details"]!.AsArray())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Update_SyntaxError_KeepsTheTemplate()
    {
        var (_, client) = await AuthorAsync();
        await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);

        var error = await (await client.PatchJsonAsync($"{Root}/welcome-v1", new { text_body = "{{name" })).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("text_body", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(1, (await (await client.GetAsync($"{Root}/welcome-v1")).DataAsync())["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_InvalidSlug_IsValidationError()
    {
        var (_, client) = await AuthorAsync();

        var error = await (await client.PostJsonAsync(Root, Welcome("Has Spaces"))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("slug", error["details"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preview_RendersWithEscaping()
    {
        var (_, client) = await AuthorAsync();
        await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);

        var preview = await (await client.PostJsonAsync($"{Root}/welcome-v1/preview", new { variables = new { name = "<b>Al</b>", company = "Acme" } })).DataAsync();

        Assert.Equal("Welcome, <b>Al</b>", preview["subject"]!.GetValue<string>());
        Assert.Equal("<h1>Hi &lt;b&gt;Al&lt;/b&gt;</h1><p>Acme</p>", preview["html"]!.GetValue<string>());
        Assert.Equal("Hi <b>Al</b>", preview["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Preview_MissingVariable_Is422NamingIt()
    {
        var (_, client) = await AuthorAsync();
        await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);

        var error = await (await client.PostJsonAsync($"{Root}/welcome-v1/preview", new { variables = new { company = "Acme" } }))
            .ErrorAsync(422, "MISSING_TEMPLATE_VARIABLES");

        Assert.Equal("variables.name", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_PagesNewestFirst_AndSearches()
    {
        var (_, client) = await AuthorAsync();
        foreach (var slug in new[] { "a-1", "b-2", "c-3" })
        {
            await (await client.PostJsonAsync(Root, Welcome(slug))).DataAsync(201);
            app.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await (await client.GetAsync($"{Root}?limit=2")).BodyAsync();
        Assert.Equal(["c-3", "b-2"], first["data"]!.AsArray().Select(t => t!["slug"]!.GetValue<string>()));
        var cursor = first["meta"]!["pagination"]!["next_cursor"]!.GetValue<string>();
        var second = await (await client.GetAsync($"{Root}?limit=2&cursor={cursor}")).DataAsync();
        Assert.Equal(["a-1"], second.AsArray().Select(t => t!["slug"]!.GetValue<string>()));

        var found = await (await client.GetAsync($"{Root}?search=B-2")).DataAsync();
        Assert.Equal(["b-2"], found.AsArray().Select(t => t!["slug"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OtherTenant_CannotReadUpdatePreviewOrDelete()
    {
        var (_, owner) = await AuthorAsync();
        var (_, stranger) = await AuthorAsync();
        await (await owner.PostJsonAsync(Root, Welcome())).DataAsync(201);

        await (await stranger.GetAsync($"{Root}/welcome-v1")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.PatchJsonAsync($"{Root}/welcome-v1", new { name = "mine" })).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.PostJsonAsync($"{Root}/welcome-v1/preview", new { variables = new { name = "x" } })).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        await (await stranger.DeleteAsync($"{Root}/welcome-v1")).ErrorAsync(404, "RESOURCE_NOT_FOUND");
        Assert.Empty((await (await stranger.GetAsync(Root)).DataAsync()).AsArray());

        // the same slug is free in another tenant
        await (await stranger.PostJsonAsync(Root, Welcome())).DataAsync(201);
        Assert.Equal("Welcome", (await (await owner.GetAsync($"{Root}/welcome-v1")).DataAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Renderer_RendersByCaseInsensitiveSlug_OrSaysNotFound()
    {
        var (tenant, client) = await AuthorAsync();
        await (await client.PostJsonAsync(Root, Welcome())).DataAsync(201);
        var variables = new Dictionary<string, JsonNode?> { ["name"] = "Ann" };

        var (found, missing) = await app.InTenantAsync(tenant, async sp =>
        {
            var renderer = sp.GetRequiredService<TemplateRenderer>();
            return (await renderer.RenderAsync("Welcome-V1", variables, default), await renderer.RenderAsync("nope", variables, default));
        });

        Assert.Equal("Welcome, Ann", Assert.IsType<TemplateRenderResult.Rendered>(found).Subject);
        var error = Assert.IsType<TemplateRenderResult.NotFound>(missing).ToError();
        Assert.Equal(422, error.StatusCode);
        Assert.Equal("TEMPLATE_NOT_FOUND", error.Code.Code);
    }
}

public sealed class TemplatesApiSqliteTests(SqliteFactory app) : TemplatesApiTests(app), IClassFixture<SqliteFactory>;

public sealed class TemplatesApiPostgresTests(PostgresFactory app) : TemplatesApiTests(app), IClassFixture<PostgresFactory>;
