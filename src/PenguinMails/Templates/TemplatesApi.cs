using PenguinMails.ApiKeys;
using PenguinMails.Auth;
using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.OpenApi;

namespace PenguinMails.Templates;

/// <summary>
/// /api/v1/templates: a tenant's email templates by slug. Reading, listing and previewing need emails:send (what
/// a sending integration uses); creating, editing and deleting need campaigns:write (content authoring). A template a
/// scheduled campaign, or one still fanning out, needs is not deleted (409, Campaigns/CampaignTemplates).
/// </summary>
public static class TemplatesApi
{
    private const string Root = "/api/v1/templates";

    public static IEndpointRouteBuilder MapTemplates(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup(Root).WithTags("Templates");
        templates.MapGet("/", List).WithName("listTemplates").RequirePermission(Permissions.EmailsSend).WithSummary("List templates");
        templates.MapPost("/", Create).WithName("createTemplate").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.CampaignsWrite).WithSummary("Create a template (Handlebars)");
        templates.MapGet("/{slug}", Get).WithName("getTemplate").RequirePermission(Permissions.EmailsSend).WithSummary("Get a template by slug");
        templates.MapPatch("/{slug}", Update).WithName("updateTemplate").RequirePermission(Permissions.CampaignsWrite).WithSummary("Edit a template");
        templates.MapDelete("/{slug}", Delete).WithName("deleteTemplate").ProducesErrors(ErrorCodes.ResourceConflict).RequirePermission(Permissions.CampaignsWrite)
            .WithSummary("Delete a template (409 while a scheduled or sending campaign still needs it)");
        templates.MapPost("/{slug}/preview", Preview).WithName("previewTemplate").ProducesErrors(ErrorCodes.MissingTemplateVariables).RequirePermission(Permissions.EmailsSend)
            .WithSummary("Render a template with variables, without sending");
        return app;
    }

    private static async Task<Results<Ok<SuccessEnvelope<List<TemplateSummary>>>, ApiError>> List(
        [AsParameters] TemplateListQuery query, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (Paging.ValidateByTime(query.Limit, query.Cursor, out var cursor) is { } invalid)
        {
            return invalid;
        }

        var (page, hasMore) = await query.RunAsync(db, cursor, ct);
        return ApiResults.Ok(http, page.Select(TemplateSummary.From).ToList(),
            new PageInfo(query.Limit ?? Paging.DefaultLimit, hasMore, hasMore ? TemplateListQuery.CursorFor(page[^1]) : null));
    }

    /// <summary>
    /// What <see cref="TemplateEngine.Validate"/> finds, and a blank <c>html_body</c>: white space alone would render a
    /// blank message for every send. A blank <c>text_body</c> is no text part (the caller passes it as null).
    /// </summary>
    private static List<ErrorDetail> Problems(string subject, string html, string? text, IReadOnlyList<TemplateVariable> variables)
    {
        var problems = TemplateEngine.Validate(subject, html, text, variables);
        if (string.IsNullOrWhiteSpace(html) && problems.All(p => p.Field != "html_body"))
        {
            problems.Add(new ErrorDetail("html_body", "html_body must not be blank."));
        }

        return problems;
    }

    private static async Task<Results<Created<SuccessEnvelope<TemplateResponse>>, ApiError>> Create(
        CreateTemplateRequest request, AppDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var variables = request.Variables ?? [];
        var text = string.IsNullOrWhiteSpace(request.TextBody) ? null : request.TextBody;
        var problems = Problems(request.Subject, request.HtmlBody, text, variables);
        if (problems.Count > 0)
        {
            return new ApiError(ErrorCodes.ValidationError, null, problems);
        }

        if (await db.EmailTemplates.AnyAsync(t => t.Slug == request.Slug, ct))
        {
            return Duplicate(request.Slug);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var template = new EmailTemplate
        {
            Slug = request.Slug, Name = request.Name, Subject = request.Subject, HtmlBody = request.HtmlBody,
            TextBody = text, Variables = variables, CreatedAt = now, UpdatedAt = now,
        };
        db.EmailTemplates.Add(template);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return Duplicate(request.Slug); // created by a concurrent request since the check above
        }

        return ApiResults.Created(http, $"{Root}/{template.Slug}", TemplateResponse.From(template));
    }

    private static async Task<Results<Ok<SuccessEnvelope<TemplateResponse>>, ApiError>> Get(
        string slug, AppDb db, HttpContext http, CancellationToken ct) =>
        await Find(db, slug, ct) is { } template ? ApiResults.Ok(http, TemplateResponse.From(template)) : ApiError.NotFound("Template");

    private static async Task<Results<Ok<SuccessEnvelope<TemplateResponse>>, ApiError>> Update(
        string slug, UpdateTemplateRequest request, AppDb db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        if (await Find(db, slug, ct) is not { } template)
        {
            return ApiError.NotFound("Template");
        }

        var subject = request.Subject ?? template.Subject;
        var html = request.HtmlBody ?? template.HtmlBody;
        var text = request.TextBody is null ? template.TextBody : string.IsNullOrWhiteSpace(request.TextBody) ? null : request.TextBody;
        var variables = request.Variables ?? template.Variables;
        var problems = Problems(subject, html, text, variables);
        if (problems.Count > 0)
        {
            return new ApiError(ErrorCodes.ValidationError, null, problems);
        }

        var name = request.Name ?? template.Name;
        if (name == template.Name && subject == template.Subject && html == template.HtmlBody && text == template.TextBody
            && variables.SequenceEqual(template.Variables))
        {
            return ApiResults.Ok(http, TemplateResponse.From(template)); // nothing changed: no new version
        }

        (template.Name, template.Subject, template.HtmlBody, template.TextBody, template.Variables) = (name, subject, html, text, variables);
        template.Version++;
        template.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(http, TemplateResponse.From(template));
    }

    private static async Task<Results<Ok<SuccessEnvelope<TemplateSummary>>, ApiError>> Delete(
        string slug, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (await Find(db, slug, ct) is not { } template)
        {
            return ApiError.NotFound("Template");
        }

        if (await Campaigns.CampaignTemplates.DeletionRefusalAsync(db, template.Slug, ct) is { } inUse)
        {
            return inUse;
        }

        db.EmailTemplates.Remove(template);
        await db.SaveChangesAsync(ct);
        return ApiResults.Ok(http, TemplateSummary.From(template));
    }

    private static async Task<Results<Ok<SuccessEnvelope<TemplatePreview>>, ApiError>> Preview(
        string slug, PreviewTemplateRequest request, AppDb db, HttpContext http, CancellationToken ct)
    {
        if (await Find(db, slug, ct) is not { } template)
        {
            return ApiError.NotFound("Template");
        }

        return TemplateRenderer.Render(template, request.Variables ?? []) switch
        {
            TemplateRenderResult.Rendered r => ApiResults.Ok(http, new TemplatePreview(r.Subject, r.Html, r.Text)),
            TemplateRenderResult.MissingVariables missing => missing.ToError(),
            var other => throw new InvalidOperationException($"Unexpected render result {other}."),
        };
    }

    private static Task<EmailTemplate?> Find(AppDb db, string slug, CancellationToken ct)
    {
        var normalized = TemplateRules.NormalizeSlug(slug);
        return db.EmailTemplates.FirstOrDefaultAsync(t => t.Slug == normalized, ct);
    }

    private static ApiError Duplicate(string slug) => new(ErrorCodes.ResourceConflict,
        $"A template with the slug '{slug}' already exists.", [new ErrorDetail("slug", "This slug is taken; choose another or edit the existing template.")]);
}
