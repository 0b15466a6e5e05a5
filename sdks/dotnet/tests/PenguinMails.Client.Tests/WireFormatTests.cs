using System.Text.Json;

namespace PenguinMails.Tests;

/// <summary>What the typed requests look like on the wire: snake_case names, nulls left out, address fields as a string or an array.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public void A_send_request_is_snake_case_without_nulls_one_address_as_a_string()
    {
        var json = JsonSerializer.Serialize(
            new SendEmailRequest { To = "user@example.com", Subject = "Hello", HtmlBody = "<h1>Hello World</h1>", TrackOpens = false },
            PenguinMailsJsonContext.Default.SendEmailRequest);

        Assert.Equal("""{"to":"user@example.com","subject":"Hello","html_body":"\u003Ch1\u003EHello World\u003C/h1\u003E","track_opens":false}""", json);
    }

    [Fact]
    public void Several_addresses_are_an_array_and_both_forms_read_back()
    {
        var json = JsonSerializer.Serialize(new SendEmailRequest { To = ["a@example.com", "b@example.com"] }, PenguinMailsJsonContext.Default.SendEmailRequest);
        var one = JsonSerializer.Deserialize("""{"id":"msg_1","status":"queued","to":"a@example.com","created_at":"2026-11-30T12:00:00Z","scheduled_at":null}""", PenguinMailsJsonContext.Default.SendEmailResponse)!;
        var two = JsonSerializer.Deserialize("""{"id":"msg_2","status":"queued","to":["a@example.com","b@example.com"],"created_at":"2026-11-30T12:00:00Z","scheduled_at":null}""", PenguinMailsJsonContext.Default.SendEmailResponse)!;

        Assert.Equal("""{"to":["a@example.com","b@example.com"]}""", json);
        Assert.Equal(["a@example.com"], one.To);
        Assert.Equal(["a@example.com", "b@example.com"], two.To);
    }

    [Fact]
    public void Free_form_values_and_time_stamps_keep_their_json_types_and_offset()
    {
        var json = JsonSerializer.Serialize(new UpsertContactRequest
        {
            Email = "ada@example.com",
            Attributes = new() { ["seats"] = 3, ["vip"] = true, ["plan"] = "pro", ["since"] = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), ["gone"] = null },
        }, PenguinMailsJsonContext.Default.UpsertContactRequest);

        Assert.Equal("""{"email":"ada@example.com","attributes":{"seats":3,"vip":true,"plan":"pro","since":"2026-01-02T03:04:05+00:00","gone":null}}""", json);
    }

    [Fact]
    public void Query_options_are_escaped_and_repeated_for_lists()
    {
        var query = new QueryBuilder().Add("search", "a&b c").Add("limit", 100).Add("bom", true).Add("type", new[] { "x", "y" }).Add("cursor", (string?)null).ToString();

        Assert.Equal("?search=a%26b%20c&limit=100&bom=true&type=x&type=y", query);
    }
}
