using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace PenguinMails.Emails;

/// <summary>
/// <c>POST /api/v1/emails/send</c>, the spec's field table plus what users of Resend or Postmark expect:
/// cc, bcc, reply_to, custom headers, metadata and scheduled_at. Address fields take a string or an array.
/// </summary>
public sealed record SendEmailRequest
{
    [JsonConverter(typeof(OneOrManyConverter))]
    public List<string>? To { get; init; }

    public string? From { get; init; }

    [JsonConverter(typeof(OneOrManyConverter))]
    public List<string>? Cc { get; init; }

    [JsonConverter(typeof(OneOrManyConverter))]
    public List<string>? Bcc { get; init; }

    [JsonConverter(typeof(OneOrManyConverter))]
    public List<string>? ReplyTo { get; init; }

    public string? Subject { get; init; }
    public string? HtmlBody { get; init; }
    public string? TextBody { get; init; }

    /// <summary>A template's slug, e.g. <c>welcome-v1</c>; an alternative to subject and bodies.</summary>
    public string? TemplateId { get; init; }

    public Dictionary<string, JsonNode?>? Variables { get; init; }
    public bool? TrackOpens { get; init; }
    public bool? TrackClicks { get; init; }
    public List<string>? Tags { get; init; }
    public Dictionary<string, string>? Headers { get; init; }
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Deliver at this time (at most 30 days ahead) instead of now.</summary>
    public DateTimeOffset? ScheduledAt { get; init; }

    /// <summary>Files sent with the message; see <see cref="AttachmentRequest"/> and README "Attachments".</summary>
    public List<AttachmentRequest?>? Attachments { get; init; }
}

/// <summary>
/// One file of a send: <c>content</c> is the file's bytes in base64 (RFC 4648 §4); <c>content_type</c> a MIME type
/// (inferred from the file name's extension when absent); with <c>content_id</c> the file is an inline part the HTML
/// body references as <c>cid:CONTENT_ID</c> (RFC 2392), otherwise an attachment.
/// </summary>
public sealed record AttachmentRequest
{
    public string? Filename { get; init; }
    public string? Content { get; init; }
    public string? ContentType { get; init; }
    public string? ContentId { get; init; }
}

public sealed record BatchEmailRequest
{
    /// <summary>The messages, 1 to 500, each a send request; each is judged apart (a result per item).</summary>
    [JsonConverter(typeof(BatchItems.ItemsConverter))]
    public List<JsonElement>? Emails { get; init; }
}

/// <summary>The answer to a send: the message is stored and will be delivered.</summary>
public sealed record SendEmailResponse(string Id, string Status, JsonNode To, DateTime CreatedAt, DateTime? ScheduledAt);

/// <summary>One item of a batch answer: either the accepted message or why it was refused.</summary>
public sealed record BatchItemResult(int Index, string? Id, string? Status, BatchItemError? Error);

public sealed record BatchItemError(string Code, string Message, IReadOnlyList<Http.ErrorDetail> Details);

public sealed record BatchEmailResponse(int Accepted, int Rejected, IReadOnlyList<BatchItemResult> Results);

/// <summary>Reads <c>"a@example.com"</c> and <c>["a@example.com", "b@example.com"]</c> alike.</summary>
public sealed class OneOrManyConverter : JsonConverter<List<string>>
{
    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return [reader.GetString()!];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new Http.JsonFieldException(field => $"{field} must be an email address or an array of them.");
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                // Named like every list's element (tags[0]).
                var (index, isNull) = (list.Count, reader.TokenType == JsonTokenType.Null);
                throw new Http.JsonFieldException(field => isNull ? $"{field} must not be null." : $"{field} must be an email address (a string).",
                    $"[{index}]");
            }

            list.Add(reader.GetString()!);
        }

        return list;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
