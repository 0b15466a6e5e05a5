using System.Text.Json;
using System.Text.Json.Serialization;

namespace PenguinMails.Http;

/// <summary>
/// Every enum of a body or an answer as the API's own snake_case word (<c>hard_bounce</c>), read exactly as written.
/// <see cref="JsonStringEnumConverter"/> also read the C# member's name in any case (<c>"hardBounce"</c>, <c>"Manual"</c>,
/// <c>"UNSUBSCRIBE"</c>), while query strings and string fields of a fixed set (Http/QueryChoices) take only the API's
/// word. Anything else is <c>400 VALIDATION_ERROR</c> at the field: "reason must be one of hard_bounce, complaint,
/// unsubscribe, manual: did you mean hard_bounce?". The OpenAPI document lists the words (OpenApi/WireSchemas).
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Words<>).MakeGenericType(typeToConvert))!;

    private sealed class Words<TEnum> : JsonConverter<TEnum> where TEnum : struct, Enum
    {
        private static readonly string[] Names = QueryChoices.Names(typeof(TEnum));
        private static readonly TEnum[] Values = Enum.GetValues<TEnum>();

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var word = reader.TokenType == JsonTokenType.String ? reader.GetString()! : null;
            var at = word is null ? -1 : Array.IndexOf(Names, word);
            if (at < 0)
            {
                var details = new List<ErrorDetail>();
                throw new JsonFieldException(field =>
                {
                    QueryChoices.Check(word ?? "", field, Names, details);
                    return details.Count > 0 ? details[^1].Message : $"{field} must be one of {string.Join(", ", Names)}.";
                });
            }

            return Values[at];
        }

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(QueryChoices.Word(value));
    }
}
