using System.Text.Json;
using System.Text.Json.Serialization;
using PenguinMails.Http;

namespace PenguinMails.Emails;

/// <summary>
/// The items of <c>POST /emails/batch</c>, each judged apart (README "Sending email": valid items are accepted even when
/// others are not). The body's <c>emails</c> are read as raw JSON values (<see cref="ItemsConverter"/>; the OpenAPI
/// document describes them as send requests, OpenApi/WireSchemas), and each item is read as a <see cref="SendEmailRequest"/> on
/// its own by <see cref="Read"/>: an item that is not an object, has a
/// field of the wrong type, a field the request does not have or one given twice is that item's
/// <c>VALIDATION_ERROR</c> with its fields named from the body (<c>emails[2].to</c>), never the whole batch's.
/// </summary>
public static class BatchItems
{
    /// <summary>The item at <paramref name="index"/> as a send request, or the item's error.</summary>
    public static (SendEmailRequest? Request, ApiError? Error) Read(JsonElement item, int index, JsonSerializerOptions options)
    {
        var prefix = $"emails[{index}].";
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, new ApiError(ErrorCodes.ValidationError, null, [new ErrorDetail($"emails[{index}]", $"emails[{index}] must be an email object.")]));
        }

        try
        {
            return (item.Deserialize<SendEmailRequest>(options), null);
        }
        catch (JsonException json)
        {
            var (code, message, details) = ApiExceptionHandler.FromJson(json, options, prefix);
            return (null, new ApiError(code, message, details));
        }
    }

    /// <summary>
    /// Reads <c>emails</c> as a list of raw values, duplicates inside an item allowed here so that <see cref="Read"/>
    /// refuses them for that item alone.
    /// </summary>
    public sealed class ItemsConverter : JsonConverter<List<JsonElement>>
    {
        public override List<JsonElement>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonFieldException(field => $"{field} must be an array of email objects.");
            }

            return JsonSerializer.Deserialize<List<JsonElement>>(ref reader, DuplicateFields.Allowing(options));
        }

        public override void Write(Utf8JsonWriter writer, List<JsonElement> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, options);
    }
}
