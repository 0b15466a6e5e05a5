using System.Net.Http.Headers;
using System.Text;
using PenguinMails.ApiKeys;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// Kinds of input that once answered 500 or leaked internals: every error carries its request id, no message
/// names a .NET type, links are never built from the Host header, arrays never carry nulls into handlers.
/// </summary>
public abstract class InputKindsTests(PenguinMailsFactory app)
{
    private static readonly string[] Everything =
    [
        Permissions.AdminFull, Permissions.CampaignsRead, Permissions.CampaignsWrite, Permissions.CampaignsDelete,
        Permissions.ContactsRead, Permissions.ContactsWrite, Permissions.ContactsDelete, Permissions.AnalyticsRead,
        Permissions.EmailsSend, Permissions.EmailsSendBulk,
    ];

    private async Task<HttpClient> ClientAsync()
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, Everything);
        return app.Client(key);
    }

    private static StringContent Raw(string json, string type = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(type));

    [Theory]
    [InlineData("{not json", "application/json", "MALFORMED_JSON")]
    [InlineData("{\"name\": 5}", "application/json", "VALIDATION_ERROR")]
    [InlineData("{\"name\": \"x\"}", "text/plain", "UNSUPPORTED_MEDIA_TYPE")]
    public async Task ErrorsWrittenByTheExceptionHandler_CarryTheRequestIdHeader(string body, string type, string code)
    {
        var client = await ClientAsync();

        var response = await client.PostAsync("/api/v1/platform/api-keys", Raw(body, type));

        var status = code switch { "UNSUPPORTED_MEDIA_TYPE" => 415, _ => 400 };
        await response.ErrorAsync(status, code); // asserts X-Request-Id equals the envelope's request_id
    }

    [Fact]
    public async Task DocumentationUrl_IsNeverBuiltFromTheHostHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Host = "evil.example";

        var error = await (await app.Client().SendAsync(request)).ErrorAsync(401, "AUTHENTICATION_REQUIRED");

        Assert.Equal("/docs/errors#AUTHENTICATION_REQUIRED", error["documentation_url"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/contacts")]
    [InlineData("/api/v1/emails")]
    [InlineData("/api/v1/campaigns")]
    [InlineData("/api/v1/templates")]
    [InlineData("/api/v1/suppressions")]
    [InlineData("/api/v1/platform/api-keys")]
    public async Task ListLimits_OfAnyFormOrRange_AreValidationErrorsNamingLimitAndItsRange(string path)
    {
        var client = await ClientAsync();
        foreach (var value in new[] { "abc", "1e309", "-1", "0", "101", "99999999999999999999", "1.5", "5x" })
        {
            var response = await client.GetAsync($"{path}?limit={value}");

            var text = await response.Content.ReadAsStringAsync();
            var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
            var detail = Assert.Single(error["details"]!.AsArray())!;
            Assert.Equal("limit", detail["field"]!.GetValue<string>());
            Assert.Equal("limit must be a whole number from 1 to 100.", detail["message"]!.GetValue<string>());
            NoDotNetNames(text);
        }
    }

    [Fact]
    public async Task QueryParameters_NeverAnswerWithDotNetTypeNames()
    {
        var client = await ClientAsync();
        string[] urls =
        [
            "/api/v1/emails?created_after=yesterday", "/api/v1/contacts?created_before=2026-13-45",
            "/api/v1/emails?cursor=%%%", "/api/v1/contacts?cursor=AAAA", "/api/v1/campaigns?status=flying&sort=x&order=up",
        ];
        foreach (var url in urls)
        {
            var response = await client.GetAsync(url);
            await response.ErrorAsync(400, "VALIDATION_ERROR");
            NoDotNetNames(await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Cursors a client could forge: base64url JSON of the right shape whose value is no time (out of
    /// <see cref="DateTime"/>'s range, negative, not digits, absent) or of another shape altogether.</summary>
    private static readonly string[] ForgedCursors =
    [
        .. new[] { "\"-1\"", "\"3155378976000000000\"", "\"9223372036854775807\"", "\"-9223372036854775808\"", "\"abc\"", "null" }
            .Select(value => $$"""{"Value":{{value}},"Id":"01a22fe8-c2f3-7782-94a7-e3c4fa99367f"}"""),
        """{"x":1}""",
    ];

    private static string Encoded(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    [Fact]
    public async Task ForgedCursors_OnListsSortedByTime_AreValidationErrorsNamingTheCursor()
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        var (key, _) = await app.CreateKeyAsync(tenant, [.. Everything, Permissions.WebhooksRead, Permissions.WebhooksWrite]);
        var client = app.Client(key);
        var endpoint = (await (await client.PostJsonAsync("/api/v1/webhooks", new { url = "https://8.8.8.8/hook" })).DataAsync(201))["webhook"]!["id"]!;
        string[] lists =
        [
            "/api/v1/webhooks", $"/api/v1/webhooks/{endpoint}/deliveries", "/api/v1/emails", "/api/v1/templates", "/api/v1/suppressions",
            "/api/v1/tenant/analytics/api-requests", "/api/v1/platform/audit-log",
        ];
        foreach (var list in lists)
        {
            foreach (var forged in ForgedCursors)
            {
                var response = await client.GetAsync($"{list}?cursor={Encoded(forged)}");

                var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
                Assert.Equal("cursor", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
            }
        }
    }

    [Theory]
    [InlineData("/api/v1/contacts", "created_at,updated_at,email")]
    [InlineData("/api/v1/campaigns", "created_at,name,scheduled_at,sent_at")]
    [InlineData("/api/v1/platform/api-keys", "created_at,name,last_used_at")]
    [InlineData("/api/v1/domains", "")]
    public async Task ForgedCursors_OnListsWithSeveralSorts_NeverFail(string list, string sorts)
    {
        var client = await ClientAsync();
        foreach (var sort in sorts.Split(','))
        {
            foreach (var order in new[] { "asc", "desc" })
            {
                foreach (var forged in ForgedCursors)
                {
                    var query = sort.Length == 0 ? "" : $"sort={sort}&order={order}&";
                    var response = await client.GetAsync($"{list}?{query}cursor={Encoded(forged)}");

                    Assert.True(response.StatusCode is System.Net.HttpStatusCode.OK or System.Net.HttpStatusCode.BadRequest,
                        $"{list}?{query} with {forged}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
    }

    /// <summary>
    /// A list sorted by a time keeps a time in its cursors: a cursor of that order whose value is not one was read as no
    /// time and answered an empty page (<c>GET /contacts?cursor=</c> with <c>"Value":"notadate"</c>), as if the list ended.
    /// </summary>
    [Theory]
    [InlineData("/api/v1/contacts", "created_at,updated_at")]
    [InlineData("/api/v1/campaigns", "created_at,scheduled_at,sent_at")]
    [InlineData("/api/v1/platform/api-keys", "created_at,last_used_at")]
    public async Task ACursorOfATimeSort_WithoutATime_IsRefused_NotAnEmptyPage(string list, string sorts)
    {
        var client = await ClientAsync();
        foreach (var sort in sorts.Split(','))
        {
            foreach (var order in new[] { "asc", "desc" })
            {
                foreach (var value in new[] { "notadate", "", "-5", "1e5", "99999999999999999999" })
                {
                    var cursor = Encoded($$"""{"Value":"{{value}}","Id":"01a235e5-a364-7cf6-90e8-5522db5d50ab","Order":"{{sort}}:{{order}}"}""");
                    var response = await client.GetAsync($"{list}?sort={sort}&order={order}&cursor={cursor}");

                    var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
                    Assert.Equal("cursor", Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
                }
            }
        }
    }

    /// <summary>A window whose end is not after its start holds nothing: refused, as the audit log's and request log's are.</summary>
    [Theory]
    [InlineData("/api/v1/contacts")]
    [InlineData("/api/v1/emails")]
    public async Task AReversedCreatedWindow_IsRefused_NotAnEmptyPage(string list)
    {
        var client = await ClientAsync();
        foreach (var (after, before) in new[] { ("2026-12-03T00:00:00Z", "2026-12-01T00:00:00Z"), ("2026-12-01T00:00:00Z", "2026-12-01T00:00:00Z") })
        {
            var response = await client.GetAsync($"{list}?created_after={after}&created_before={before}");

            var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
            var detail = Assert.Single(error["details"]!.AsArray());
            Assert.Equal("created_before", detail!["field"]!.GetValue<string>());
            Assert.Equal("created_before must be later than created_after.", detail["message"]!.GetValue<string>());
        }

        await (await client.GetAsync($"{list}?created_after=2026-12-01T00:00:00Z&created_before=2026-12-01T00:00:01Z")).DataAsync();
    }

    /// <summary>A compressed body is refused naming its coding, rather than read as it came (malformed JSON, a CSV without columns).</summary>
    [Theory]
    [InlineData("gzip")]
    [InlineData("br")]
    [InlineData("identity, deflate")]
    public async Task ACompressedBody_Is415NamingTheCoding(string coding)
    {
        var client = await ClientAsync();
        var body = Raw("{\"email\": \"gz@example.com\"}");
        body.Headers.ContentEncoding.Clear();
        foreach (var part in coding.Split(", "))
        {
            body.Headers.ContentEncoding.Add(part);
        }

        var response = await client.PostAsync("/api/v1/contacts", body);

        var error = await response.ErrorAsync(415, "UNSUPPORTED_MEDIA_TYPE");
        Assert.Contains($"Content-Encoding '{coding.Split(", ")[^1]}' is not supported", error["message"]!.GetValue<string>());
        Assert.Equal("identity", response.Headers.GetValues("Accept-Encoding").Single());
        Assert.Empty((await (await client.GetAsync("/api/v1/contacts")).DataAsync()).AsArray());
    }

    [Fact]
    public async Task ACsvImport_NamingOneAttributeTwice_IsRefusedAtFile()
    {
        var client = await ClientAsync();
        foreach (var header in new[] { "email,attributes.plan,plan", "email,tier,ATTRIBUTES.tier" })
        {
            var response = await client.PostAsync("/api/v1/contacts/import", Raw(header + "\ncsv2@example.com,pro,free\n", "text/csv"));

            var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
            var detail = Assert.Single(error["details"]!.AsArray());
            Assert.Equal("file", detail!["field"]!.GetValue<string>());
            Assert.Contains("names the attribute", detail["message"]!.GetValue<string>());
        }

        var none = await (await client.GetAsync("/api/v1/contacts")).DataAsync();
        Assert.Empty(none.AsArray());
    }

    [Fact]
    public async Task Recipients_LongerThanSmtpCarries_AreRefused_AndTheLongestThatFitAreAccepted()
    {
        var client = await ClientAsync();
        object Send(string to) => new { from = "sender@example.com", to, subject = "S", text_body = "B" };
        var label63 = new string('d', 63);
        // Distinct ideographs: 12 make an A-label of 29 characters, 30 one of 72 (repeats of one letter punycode short).
        static string Han(int count) => string.Concat(Enumerable.Range(0, count).Select(i => (char)(0x4e00 + i * 37)));
        foreach (var fits in new[] { new string('l', 64) + "@example.com", $"a@{label63}.{label63}.{label63}.{new string('e', 61)}", "ü" + new string('l', 62) + "@example.com", $"a@{Han(12)}.example.com" })
        {
            Assert.Equal("queued", (await (await client.PostJsonAsync("/api/v1/emails/send", Send(fits))).DataAsync())["status"]!.GetValue<string>());
        }

        foreach (var tooLong in new[] { new string('l', 65) + "@example.com", "üü" + new string('l', 61) + "@example.com",
                     $"a@{new string('d', 64)}.example.com", $"a@{label63}.{label63}.{label63}.{label63}.com", $"a@{Han(30)}.example.com" })
        {
            var error = await (await client.PostJsonAsync("/api/v1/emails/send", Send(tooLong))).ErrorAsync(400, "VALIDATION_ERROR");
            Assert.Contains("RFC 5321", error["details"]![0]!["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("/api/v1/contacts?search=a%00b", "search")]
    [InlineData("/api/v1/emails?recipient=%00", "recipient")]
    [InlineData("/api/v1/emails?tag=a%0Ab", "tag")]
    [InlineData("/api/v1/suppressions?search=%1F", "search")]
    [InlineData("/api/v1/templates?search=%7F", "search")]
    public async Task QueryStrings_WithControlCharacters_AreRefusedNamingTheParameter(string url, string field)
    {
        var client = await ClientAsync();

        var error = await (await client.GetAsync(url)).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal(field, Assert.Single(error["details"]!.AsArray())!["field"]!.GetValue<string>());
    }

    /// <summary>A number is a JSON number, as the document types it: the web defaults once read "30", "+30" and "030" too.</summary>
    [Theory]
    [InlineData("\"30\"")]
    [InlineData("\"+30\"")]
    [InlineData("\"030\"")]
    [InlineData("\"3e1\"")]
    public async Task NumbersSentAsStrings_AreValidationErrorsNamingTheField(string days)
    {
        var client = await ClientAsync();

        var response = await client.PostAsync("/api/v1/platform/api-keys", Raw("""{"name": "K", "preset": "read_only", "expires_in_days": """ + days + "}"));

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]?.GetValue<string>() == "expires_in_days");
    }

    [Theory]
    [InlineData("POST", "/api/v1/templates", """{"slug": "t1", "name": "T", "subject": "S", "html_body": "B", "variables": [null]}""", "variables[0]")]
    [InlineData("POST", "/api/v1/campaigns", """{"name": "C", "from": "a@example.com", "subject": "S", "html_body": "B", "audience": {"tags": ["a", null]}}""", "audience.tags[1]")]
    [InlineData("POST", "/api/v1/platform/api-keys", """{"name": "K", "permissions": [null]}""", "permissions[0]")]
    [InlineData("POST", "/api/v1/platform/api-keys", """{"name": "K", "preset": "read_only", "allowed_ips": [null]}""", "allowed_ips[0]")]
    [InlineData("POST", "/api/v1/emails/send", """{"from": "a@example.com", "to": "b@example.com", "subject": "S", "html_body": "B", "tags": [null]}""", "tags[0]")]
    [InlineData("POST", "/api/v1/emails/send", """{"from": "a@example.com", "to": [null], "subject": "S", "html_body": "B"}""", "to[0]")]
    [InlineData("POST", "/api/v1/emails/send", """{"from": "a@example.com", "to": "b@example.com", "cc": ["c@example.com", null], "subject": "S", "html_body": "B"}""", "cc[1]")]
    [InlineData("POST", "/api/v1/emails/send", """{"from": "a@example.com", "to": ["b@example.com", 1], "subject": "S", "html_body": "B"}""", "to[1]")]
    [InlineData("POST", "/api/v1/emails/send", """{"from": "a@example.com", "to": {"a": 1}, "subject": "S", "html_body": "B"}""", "to")]
    [InlineData("POST", "/api/v1/suppressions", """{"emails": [null]}""", "emails[0]")]
    [InlineData("POST", "/api/v1/contacts", """{"email": "c@example.com", "tags": [null]}""", "tags[0]")]
    public async Task NullElementsInArrays_AreValidationErrorsNamingTheElement(string method, string path, string body, string field)
    {
        var client = await ClientAsync();

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Raw(body) });

        var error = await response.ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]?.GetValue<string>() == field);
    }

    [Fact]
    public async Task NullElementsInArrays_OnEdits_AreValidationErrors()
    {
        var client = await ClientAsync();
        await (await client.PostJsonAsync("/api/v1/templates", new { slug = "t2", name = "T", subject = "S", html_body = "B" })).DataAsync(201);

        var response = await client.PatchAsync("/api/v1/templates/t2", Raw("""{"variables": [null]}"""));

        await response.ErrorAsync(400, "VALIDATION_ERROR");
    }

    [Theory]
    [InlineData("""{"name": "C", "from": "a@example.com", "subject": "S", "html_body": "B"}""", "MISSING_REQUIRED_FIELD")]
    [InlineData("""{"name": "C", "from": "a@example.com", "subject": "S", "html_body": "B", "audience": null}""", "MISSING_REQUIRED_FIELD")]
    [InlineData("""{"name": "C", "from": "a@example.com", "subject": "S", "html_body": "B", "audience": {}}""", "VALIDATION_ERROR")]
    public async Task ValidationMessagesWithBraces_AreAnsweredNotFormatted(string body, string code)
    {
        var client = await ClientAsync();

        var error = await (await client.PostAsync("/api/v1/campaigns", Raw(body))).ErrorAsync(400, code);

        var detail = Assert.Single(error["details"]!.AsArray())!;
        Assert.Equal("audience", detail["field"]!.GetValue<string>());
        Assert.Contains("{\"tags\": [...]}", detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task SubjectsLongerThanASubjectMayBe_InlineOrRendered_AreValidationErrors()
    {
        var client = await ClientAsync();
        await (await client.PostJsonAsync("/api/v1/templates", new { slug = "long", name = "L", subject = "{{s}}", html_body = "B" })).DataAsync(201);

        var inline = await client.PostJsonAsync("/api/v1/emails/send",
            new { from = "a@example.com", to = "b@example.com", subject = new string('s', 999), html_body = "B" });
        var rendered = await client.PostJsonAsync("/api/v1/emails/send",
            new { from = "a@example.com", to = "b@example.com", template_id = "long", variables = new { s = new string('s', 2000) } });

        Assert.Equal("subject", (await inline.ErrorAsync(400, "VALIDATION_ERROR"))["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("subject", (await rendered.ErrorAsync(400, "VALIDATION_ERROR"))["details"]![0]!["field"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/v1/contacts", """{"email": "n@example.com", "first_name": "a\u0000b"}""", "first_name")]
    [InlineData("/api/v1/contacts", """{"email": "n@example.com", "attributes": {"plan": "a\u0000b"}}""", "attributes")]
    [InlineData("/api/v1/emails/send", """{"from": "a@example.com", "to": "b@example.com", "subject": "S\u0000", "html_body": "B"}""", "subject")]
    [InlineData("/api/v1/emails/send", """{"from": "a@example.com", "to": "b@example.com", "subject": "S", "html_body": "B", "metadata": {"k": "\u0000"}}""", "metadata.k")]
    [InlineData("/api/v1/suppressions", """{"emails": ["s@example.com"], "note": "\u0000"}""", "note")]
    public async Task NulCharactersInBodies_AreValidationErrorsNamingTheField(string path, string body, string field)
    {
        var client = await ClientAsync();

        var error = await (await client.PostAsync(path, Raw(body))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Contains(error["details"]!.AsArray(), d => d!["field"]?.GetValue<string>().StartsWith(field, StringComparison.Ordinal) == true);
    }

    /// <summary>
    /// A contact's <c>status</c> is a word of a fixed set, read exactly as the API writes it in a body as in a query string:
    /// <c>"Subscribed"</c> once was read as subscribed by POST and PATCH while <c>?status=Subscribed</c> was refused. A CSV
    /// import's cell comes from another tool's export and is still read in any case.
    /// </summary>
    [Fact]
    public async Task ContactStatus_InABody_IsTheApisWordExactly_WhileACsvCellIsReadInAnyCase()
    {
        var client = await ClientAsync();
        const string Meant = "status must be one of subscribed, unsubscribed, bounced, complained: did you mean unsubscribed?";

        var created = await (await client.PostAsync("/api/v1/contacts", Raw("{\"email\": \"case@example.com\", \"status\": \"Unsubscribed\"}")))
            .ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal(Meant, created["details"]![0]!["message"]!.GetValue<string>());

        var contact = await (await client.PostAsync("/api/v1/contacts", Raw("{\"email\": \"case@example.com\"}"))).DataAsync(201);
        var edited = await (await client.PatchAsync($"/api/v1/contacts/{contact["id"]}", Raw("{\"status\": \"UNSUBSCRIBED\"}")))
            .ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Equal(Meant, edited["details"]![0]!["message"]!.GetValue<string>());

        var ndjson = await (await client.PostAsync("/api/v1/contacts/import",
            Raw("{\"email\": \"nd@example.com\", \"status\": \"Unsubscribed\"}\n", "application/x-ndjson"))).DataAsync();
        Assert.Equal(1, ndjson["failed"]!.GetValue<int>());

        var csv = await (await client.PostAsync("/api/v1/contacts/import",
            Raw("email,status\ncsv@example.com,Unsubscribed\n", "text/csv"))).DataAsync();
        Assert.Equal(1, csv["created"]!.GetValue<int>());
        var listed = await (await client.GetAsync("/api/v1/contacts?status=unsubscribed")).DataAsync();
        Assert.Equal("csv@example.com", Assert.Single(listed.AsArray())!["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("text/csv", "email,first_name,last_name,tags\nok@example.com,Ok,,\nn1@example.com,A\u0000B,,\nn2@example.com,,,\"t\u0000\"\n")]
    [InlineData("application/x-ndjson", "{\"email\":\"ok@example.com\"}\n{\"email\":\"n1@example.com\",\"first_name\":\"A\\u0000B\"}\n{\"email\":\"n2@example.com\",\"tags\":[\"t\\u0000\"]}\n")]
    public async Task NulCharactersInImportRows_FailTheirRow_OthersImported(string type, string body)
    {
        var client = await ClientAsync();

        var report = await (await client.PostAsync("/api/v1/contacts/import", Raw(body, type))).DataAsync();

        Assert.Equal(1, report["created"]!.GetValue<int>());
        Assert.Equal(2, report["failed"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("application/json; charset=\"utf-8\"", 200)]
    [InlineData("application/json; charset=UTF8", 200)]
    [InlineData("application/json; charset='utf-8'", 415)]
    [InlineData("application/json; charset=bogus", 415)]
    [InlineData("application/json; charset=", 415)]
    [InlineData("application/json; charset=utf-7", 415)]
    public async Task JsonBodyCharsets_AreReadAsTheRfcAllows_UnknownOnesAre415(string contentType, int status)
    {
        var client = await ClientAsync();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"emails": ["cs@example.com"]}"""));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var response = await client.PostAsync("/api/v1/suppressions", content);

        if (status == 415)
        {
            await response.ErrorAsync(415, "UNSUPPORTED_MEDIA_TYPE");
        }
        else
        {
            await response.DataAsync(status);
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/openapi/v1.json")]
    [InlineData("/docs/errors")]
    public async Task Head_OnAnEndpointThatAnswersGet_AnswersLikeGetWithoutABody(string path)
    {
        var response = await app.Client().SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("POST", "/healthz", "GET, HEAD")]
    [InlineData("PUT", "/api/v1/me", "GET, HEAD")]
    [InlineData("DELETE", "/api/v1/contacts", "GET, HEAD, POST")]
    [InlineData("OPTIONS", "/api/v1/contacts", "GET, HEAD, POST")]
    public async Task WrongMethod_WithoutAKey_Is405WithAllow_Not401(string method, string path, string allow)
    {
        var response = await app.Client().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.ErrorAsync(405, "METHOD_NOT_ALLOWED");
        // HEAD is answered wherever GET is, so Allow names it too (RFC 9110 section 10.2.1).
        Assert.Equal(allow.Split(", "), response.Content.Headers.Allow.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FreeFormValues_TooDeepToAnswer_AreRefused_AndTheListStillAnswers()
    {
        var client = await ClientAsync();
        var deep = new string('[', 40) + new string(']', 40);
        var body = """{"name": "Deep", "from": "a@example.com", "subject": "S", "html_body": "B", "audience": {"all": true}, "variables": {"x": """
            + deep + "}}";

        var error = await (await client.PostAsync("/api/v1/campaigns", Raw(body))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.StartsWith("variables.x", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Contains("deeper than 16", error["details"]![0]!["message"]!.GetValue<string>());
        await (await client.GetAsync("/api/v1/campaigns")).DataAsync();
    }

    [Theory]
    [InlineData("""{"from": "a@example.com", "to": "b@example.com", "subject": "S\ud800", "html_body": "B"}""", "subject", "not valid text")]
    [InlineData("""{"from": "a@example.com", "to": "b@example.com", "subject": "S", "html_body": "B", "variables": {"k": "\udc00"}}""", "variables.k", "valid text")]
    [InlineData("""{"variables":{"k":""" + "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[" + "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]" + "}}", null, "deeper than the 64 levels")]
    public async Task BodyText_InvalidOrTooDeep_IsAValidationErrorSayingWhich(string body, string? field, string message)
    {
        var client = await ClientAsync();

        var error = await (await client.PostAsync("/api/v1/emails/send", Raw(body))).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = error["details"]![0]!;
        if (field is not null)
        {
            Assert.Equal(field, detail["field"]?.GetValue<string>());
        }

        Assert.Contains(message, detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task BodyText_WhoseBytesAreNotUtf8_IsAValidationErrorSayingSo()
    {
        var client = await ClientAsync();
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"from\": \"a@example.com\", \"to\": \"b@example.com\", \"subject\": \"S"), 0xFF,
            .. Encoding.UTF8.GetBytes("\", \"html_body\": \"B\"}")];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        var error = await (await client.PostAsync("/api/v1/emails/send", content)).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Equal("subject", error["details"]![0]!["field"]!.GetValue<string>());
        Assert.Equal("subject is not valid text: its bytes are not UTF-8.", error["details"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllowedIps_InLegacyOctalOrHexForms_AreRefusedNotReadAsOtherAddresses()
    {
        var client = await ClientAsync();

        var error = await (await client.PostAsync("/api/v1/platform/api-keys",
            Raw("""{"name": "o", "preset": "read_only", "allowed_ips": ["192.168.001.010", "10.0.0.0/8"]}"""))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Contains("four decimal numbers", error["details"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task AllowedIps_AnIpv4RangeInItsMappedIpv6Spelling_IsThatRange()
    {
        var client = await ClientAsync();

        var key = await (await client.PostAsync("/api/v1/platform/api-keys",
            Raw("""{"name": "m", "preset": "read_only", "allowed_ips": ["::ffff:10.0.0.0/104", "::ffff:192.0.2.7"]}"""))).DataAsync(201);
        Assert.Equal(["10.0.0.0/8", "192.0.2.7"], key["api_key"]!["allowed_ips"]!.AsArray().Select(n => n!.GetValue<string>()));

        var error = await (await client.PostAsync("/api/v1/platform/api-keys",
            Raw("""{"name": "m", "preset": "read_only", "allowed_ips": ["::ffff:10.0.0.0/95"]}"""))).ErrorAsync(400, "VALIDATION_ERROR");
        Assert.Contains("96–128", error["details"]![0]!["message"]!.GetValue<string>());
    }

    /// <summary>A filter whose value can match nothing is named as a mistake, as a malformed id is, not answered with an empty page.</summary>
    [Theory]
    [InlineData("/api/v1/emails?recipient=not-an-email", "recipient", "one email address (name@example.com).")]
    [InlineData("/api/v1/tenant/analytics/api-requests?endpoint=get%20/api/v1/contacts", "endpoint", "did you mean GET /api/v1/contacts?")]
    [InlineData("/api/v1/tenant/analytics/api-usage?endpoint=Post%20/api/v1/emails/send", "endpoint", "did you mean POST /api/v1/emails/send?")]
    [InlineData("/api/v1/tenant/analytics/api-requests?endpoint=GET%20api/v1/contacts", "endpoint", "such as POST /api/v1/emails/send or GET (unmatched).")]
    public async Task Filters_ThatCanMatchNothing_AreRefusedNamingTheFilter(string url, string field, string message)
    {
        var client = await ClientAsync();

        var error = await (await client.GetAsync(url)).ErrorAsync(400, "VALIDATION_ERROR");

        var detail = Assert.Single(error["details"]!.AsArray());
        Assert.Equal(field, detail!["field"]!.GetValue<string>());
        Assert.EndsWith(message, detail["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_AsRecorded_AreTaken()
    {
        var client = await ClientAsync();

        await (await client.GetAsync("/api/v1/emails?recipient=%20Ann@Example.com%20")).DataAsync();
        await (await client.GetAsync("/api/v1/tenant/analytics/api-requests?endpoint=GET%20/api/v1/contacts/%7Bid%7D")).DataAsync();
    }

    [Theory]
    [InlineData("{}", "must name its contacts")]
    [InlineData("{\"all\": false}", "must name its contacts")]
    [InlineData("{\"tags\": []}", "must name its contacts")]
    [InlineData("{\"all\": true, \"tags\": [\"vip\"]}", "not both")]
    public async Task CampaignAudience_NamingNoContactsOrTwoWays_SaysWhich(string audience, string message)
    {
        var client = await ClientAsync();

        var error = await (await client.PostAsync("/api/v1/campaigns", Raw(
            $$"""{"name": "c", "from": "n@example.com", "subject": "s", "html_body": "<p>x</p>", "audience": {{audience}}}"""))).ErrorAsync(400, "VALIDATION_ERROR");

        Assert.Contains(message, error["details"]![0]!["message"]!.GetValue<string>());
    }

    private static void NoDotNetNames(string text)
    {
        foreach (var name in new[] { "Nullable", "Int32", "System.", "Failed to bind", "DateTimeOffset", "<int>", "String " })
        {
            Assert.DoesNotContain(name, text, StringComparison.Ordinal);
        }
    }
}

public sealed class InputKindsSqliteTests(SqliteFactory app) : InputKindsTests(app), IClassFixture<SqliteFactory>;

public sealed class InputKindsPostgresTests(PostgresFactory app) : InputKindsTests(app), IClassFixture<PostgresFactory>;
