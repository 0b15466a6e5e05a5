namespace PenguinMails.Tests;

/// <summary>
/// Every resource's operations against the real server: the typed requests are accepted and the typed results read
/// back what the server answered (the models are generated from the OpenAPI document; these prove them on the wire).
/// </summary>
public sealed class OperationsTests
{
    private readonly PenguinMailsClient client = Harness.Client();

    [Fact]
    public async Task Contacts_upsert_get_update_tags_export_erase()
    {
        var email = Harness.UniqueAddress("contact");
        var tag = $"ops-{Guid.NewGuid():N}"[..20];

        var created = await client.Contacts.UpsertAsync(new UpsertContactRequest
        {
            Email = email, FirstName = "Ada", Tags = [tag], Attributes = new() { ["plan"] = "pro", ["seats"] = 3 },
        });
        var fetched = await client.Contacts.GetAsync(created.Id);
        var updated = await client.Contacts.UpdateAsync(created.Id, new UpdateContactRequest { LastName = "Lovelace", AddTags = ["vip"] });
        var tags = await client.Contacts.ListTagsAsync();
        var data = await client.Contacts.ExportDataAsync(created.Id);
        var csv = await client.Contacts.ExportAsync(new ExportContactsOptions { Bom = false });
        var erased = await client.Contacts.EraseAsync(created.Id);

        Assert.True(created.Created);
        Assert.Equal(email, fetched.Email);
        Assert.Equal(3, fetched.Attributes["seats"].GetInt32());
        Assert.Equal("Lovelace", updated.LastName);
        Assert.Contains("vip", updated.Tags);
        Assert.Contains(tags, t => t.Tag == tag && t.Count == 1);
        Assert.Equal(email, data.Contact.Email);
        Assert.Contains(email, csv, StringComparison.Ordinal);
        Assert.True(erased.Erased);
        await Assert.ThrowsAsync<NotFoundException>(() => client.Contacts.GetAsync(created.Id));
    }

    [Fact]
    public async Task Contacts_import_csv_and_delete()
    {
        var email = Harness.UniqueAddress("csv");
        var report = await client.Contacts.BulkImportAsync(new ImportContactsRequest { Csv = $"email,first_name\n{email},Grace\n" });
        var page = await client.Contacts.ListAsync(new ListContactsOptions { Search = email, Limit = 5 });
        var deleted = await client.Contacts.DeleteAsync(Assert.Single(page.Data).Id);

        Assert.Equal(1, report.Created);
        Assert.Equal("Grace", page.Data[0].FirstName);
        Assert.NotNull(page.Pagination);
        Assert.StartsWith("req_", page.RequestId, StringComparison.Ordinal);
        Assert.Equal(page.Data[0].Id, deleted.Id);
    }

    [Fact]
    public async Task Emails_send_batch_get_list_and_cancel_a_scheduled_one()
    {
        var to = Harness.UniqueAddress("batch");
        var batch = await client.Emails.SendBatchAsync(new SendEmailBatchRequest
        {
            Emails = [new SendEmailRequest { From = Harness.Sender, To = to, Subject = "One", TextBody = "1" },
                      new SendEmailRequest { From = Harness.Sender, To = [to, Harness.UniqueAddress("cc")], Subject = "Two", TextBody = "2" }],
        });
        var scheduled = await client.Emails.SendAsync(new SendEmailRequest
        {
            From = Harness.Sender, To = to, Subject = "Later", TextBody = "later", ScheduledAt = DateTimeOffset.UtcNow.AddDays(1),
            Tags = ["later"], Metadata = new() { ["order"] = "42" },
        });
        var cancelled = await client.Emails.CancelAsync(scheduled.Id);
        var email = await client.Emails.GetAsync(scheduled.Id);
        var listed = await client.Emails.ListAsync(new ListEmailsOptions { Recipient = to, Limit = 10 });

        Assert.Equal(2, batch.Accepted);
        Assert.Equal(2, batch.Results.Count);
        Assert.NotNull(scheduled.ScheduledAt);
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal("42", email.Metadata["order"]);
        Assert.Equal(3, listed.Data.Count);
    }

    [Fact]
    public async Task Templates_create_get_update_preview_list_delete()
    {
        var slug = $"tpl-{Guid.NewGuid():N}"[..20];
        var created = await client.Templates.CreateAsync(new CreateTemplateRequest
        {
            Slug = slug, Name = "Welcome", Subject = "Hi {{name}}", HtmlBody = "<p>Hello {{name}}</p>",
            Variables = [new TemplateVariable { Name = "name", Required = true }],
        });
        var updated = await client.Templates.UpdateAsync(slug, new UpdateTemplateRequest { Name = "Welcome v2" });
        var preview = await client.Templates.PreviewAsync(slug, new PreviewTemplateRequest { Variables = new() { ["name"] = "Ada" } });
        var fetched = await client.Templates.GetAsync(slug);
        var all = new List<TemplateSummary>();
        await foreach (var t in client.Templates.ListAllAsync(new ListTemplatesOptions { Search = slug }))
        {
            all.Add(t);
        }

        var deleted = await client.Templates.DeleteAsync(slug);

        Assert.Equal(slug, created.Slug);
        Assert.Equal("Welcome v2", updated.Name);
        Assert.Equal("Hi Ada", preview.Subject);
        Assert.Equal("Welcome v2", fetched.Name);
        Assert.Single(all);
        Assert.Equal(slug, deleted.Slug);
    }

    [Fact]
    public async Task Campaigns_create_update_schedule_cancel_analytics_delete()
    {
        var created = await client.Campaigns.CreateAsync(new CreateCampaignRequest
        {
            Name = "Launch", Subject = "News", From = Harness.Sender, HtmlBody = "<p>News</p>",
            Audience = new AudienceRequest { Tags = [$"none-{Guid.NewGuid():N}"] },
        });
        var updated = await client.Campaigns.UpdateAsync(created.Id, new UpdateCampaignRequest { Name = "Launch 2" });
        var scheduled = await client.Campaigns.ScheduleAsync(created.Id, new ScheduleCampaignRequest { ScheduledAt = DateTimeOffset.UtcNow.AddDays(2) });
        var cancelled = await client.Campaigns.CancelAsync(created.Id);
        var analytics = await client.Campaigns.GetAsync(created.Id);
        var stats = await client.Analytics.GetCampaignAsync(created.Id);
        var page = await client.Campaigns.ListAsync(new ListCampaignsOptions { Limit = 100 });
        var refused = await Assert.ThrowsAsync<ConflictException>(() => client.Campaigns.PauseAsync(created.Id));
        var deleted = await client.Campaigns.DeleteAsync(created.Id);

        Assert.Equal("draft", created.Status);
        Assert.Equal("Launch 2", updated.Name);
        Assert.Equal("scheduled", scheduled.Status);
        Assert.Equal("cancelled", cancelled.Status);
        Assert.Equal(cancelled.Status, analytics.Status);
        Assert.Equal(created.Id, stats.CampaignId);
        Assert.Contains(page.Data, c => c.Id == created.Id);
        Assert.Equal(created.Id, deleted.Id);
        Assert.Equal(409, refused.StatusCode);
        Assert.Contains(refused.Details, d => d.Status == "cancelled");
    }

    [Fact]
    public async Task Suppressions_add_one_and_many_get_list_remove()
    {
        var one = Harness.UniqueAddress("sup");
        var many = new[] { Harness.UniqueAddress("sup"), Harness.UniqueAddress("sup") };

        var single = await client.Suppressions.AddAsync(new AddSuppressionsRequest { Email = one, Reason = "manual", Note = "asked" });
        var several = await client.Suppressions.AddAsync(new AddSuppressionsRequest { Emails = many });
        var fetched = await client.Suppressions.GetAsync(one);
        var page = await client.Suppressions.ListAsync(new ListSuppressionsOptions { Search = one });
        var removed = await client.Suppressions.RemoveAsync(one);

        Assert.Equal(1, single.Added);
        Assert.Equal(one, single.Results[0].Suppression.Email);
        Assert.Equal(2, several.Added);
        Assert.Equal("manual", fetched.Reason);
        Assert.Single(page.Data);
        Assert.Equal(one, removed.Email);
    }

    [Fact]
    public async Task Api_keys_audit_log_account_usage_and_esp()
    {
        var created = await client.ApiKeys.CreateAsync(new CreateApiKeyRequest { Name = "ops", Preset = "read_only", Environment = "test" });
        var fetched = await client.ApiKeys.GetAsync(created.ApiKey.Id);
        var updated = await client.ApiKeys.UpdateAsync(created.ApiKey.Id, new UpdateApiKeyRequest { Name = "ops 2" });
        var rotated = await client.ApiKeys.RotateAsync(created.ApiKey.Id);
        var keys = await client.ApiKeys.ListAsync(new ListApiKeysOptions { Limit = 100 });
        var revoked = await client.ApiKeys.RevokeAsync(rotated.ApiKey.Id);
        var audit = await client.AuditLog.ListAsync(new ListAuditLogOptions { Limit = 5 });
        var me = await client.Account.GetAsync();
        var usage = await client.Usage.GetAsync(new GetApiUsageOptions { Range = "24h" });
        var requests = await client.Usage.ListRequestsAsync(new ListApiRequestsOptions { Limit = 5 });
        var errorsCsv = await client.Usage.ExportErrorsAsync(new ExportApiUsageErrorsOptions { Range = "24h" });
        var seriesCsv = await client.Usage.ExportSeriesAsync(new ExportApiUsageSeriesOptions { Range = "24h" });
        var esp = await client.Esp.GetAsync();
        var espSaved = await client.Esp.UpdateAsync(new UpdateEspSettingsRequest { Transport = esp.Transport });

        Assert.StartsWith("pm_test_", created.Key, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key, created.ToString(), StringComparison.Ordinal);
        Assert.Contains("Key = (hidden)", rotated.ToString(), StringComparison.Ordinal);
        Assert.Equal("ops", fetched.Name);
        Assert.Equal("ops 2", updated.Name);
        Assert.NotEqual(created.Key, rotated.Key);
        Assert.Contains(keys.Data, k => k.Id == rotated.ApiKey.Id);
        Assert.Equal("revoked", revoked.Status);
        Assert.NotEmpty(audit.Data);
        Assert.NotEmpty(me.TenantId);
        Assert.True(usage.TotalRequests > 0);
        Assert.NotEmpty(requests.Data);
        Assert.False(string.IsNullOrEmpty(errorsCsv));
        Assert.False(string.IsNullOrEmpty(seriesCsv));
        Assert.Equal(esp.Transport, espSaved.Transport);
    }

    [Fact]
    public async Task Domains_and_webhooks()
    {
        var domains = await client.Domains.ListAsync();
        var domain = await client.Domains.GetAsync(domains.Data[0].Id);
        var added = await client.Domains.CreateAsync(new AddDomainRequest { Name = $"d{Guid.NewGuid():N}"[..12] + ".example.org" });
        var rotated = await client.Domains.RotateDkimAsync(added.Id);
        var removed = await client.Domains.DeleteAsync(added.Id);

        var types = await client.Webhooks.ListEventTypesAsync();
        // A public address (webhooks refuse private ones), disabled so that nothing is ever sent to it.
        var hook = await client.Webhooks.CreateAsync(new CreateWebhookRequest
        {
            Url = $"https://93.184.215.14/{Guid.NewGuid():N}", Events = ["email.delivered", "email.bounced"], Enabled = false,
        });
        var updated = await client.Webhooks.UpdateAsync(hook.Webhook.Id, new UpdateWebhookRequest { Description = "ops" });
        var deliveries = await client.Webhooks.ListDeliveriesAsync(hook.Webhook.Id);
        // A disabled endpoint takes no replay (nothing would be sent): the request is read, then refused with 409.
        var replayRefused = await Assert.ThrowsAsync<ConflictException>(() => client.Webhooks.ReplayFailedAsync(hook.Webhook.Id,
            new ReplayFailedWebhookDeliveriesRequest { From = DateTimeOffset.UtcNow.AddHours(-1), To = DateTimeOffset.UtcNow }));
        var secret = await client.Webhooks.RotateSecretAsync(hook.Webhook.Id);
        var listed = await client.Webhooks.ListAsync();
        var fetched = await client.Webhooks.GetAsync(hook.Webhook.Id);
        var deleted = await client.Webhooks.DeleteAsync(hook.Webhook.Id);

        Assert.Equal(domains.Data[0].Name, domain.Name);
        Assert.NotEmpty(added.Records);
        Assert.Equal(added.Id, rotated.Id);
        Assert.Equal(added.Id, removed.Id);
        Assert.Contains(types, t => t.Type == "email.delivered");
        Assert.StartsWith("whsec_", hook.Secret, StringComparison.Ordinal);
        Assert.DoesNotContain(hook.Secret, hook.ToString(), StringComparison.Ordinal);
        Assert.Equal("ops", updated.Description);
        Assert.NotNull(deliveries.Data);
        Assert.Equal(409, replayRefused.StatusCode);
        Assert.Contains("disabled", replayRefused.Message, StringComparison.Ordinal);
        Assert.NotEqual(hook.Secret, secret.Secret);
        Assert.Contains(listed.Data, w => w.Id == hook.Webhook.Id);
        Assert.Equal("ops", fetched.Description);
        Assert.Equal(hook.Webhook.Id, deleted.Id);
        await Assert.ThrowsAsync<NotFoundException>(() => client.Webhooks.SendTestAsync(hook.Webhook.Id));
        var replay = await Assert.ThrowsAsync<NotFoundException>(() => client.Webhooks.ReplayDeliveryAsync(Guid.NewGuid().ToString()));
        Assert.Equal(404, replay.StatusCode);
    }
}
