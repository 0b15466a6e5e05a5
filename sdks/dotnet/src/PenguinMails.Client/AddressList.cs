using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PenguinMails;

/// <summary>
/// One address or several, as the API's address fields take them (<c>"a@x.org"</c> or <c>["a@x.org", "b@x.org"]</c>).
/// Assign a string (<c>To = "user@example.com"</c>) or a collection (<c>To = ["a@x.org", "b@x.org"]</c>). One address
/// is sent as a string, several as an array.
/// </summary>
[JsonConverter(typeof(AddressListJsonConverter))]
[CollectionBuilder(typeof(AddressList), nameof(Create))]
public sealed class AddressList : IReadOnlyList<string>, IEquatable<AddressList>
{
    private readonly string[] addresses;

    /// <summary>A list of the given addresses.</summary>
    /// <param name="addresses">The addresses, in order.</param>
    public AddressList(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        this.addresses = [.. addresses];
    }

    /// <inheritdoc />
    public int Count => addresses.Length;

    /// <inheritdoc />
    public string this[int index] => addresses[index];

    /// <summary>One address.</summary>
    /// <param name="address">The address.</param>
    public static implicit operator AddressList(string address) => FromString(address);

    /// <summary>Several addresses.</summary>
    /// <param name="addresses">The addresses.</param>
    public static implicit operator AddressList(string[] addresses) => new(addresses);

    /// <summary>One address (the named form of the implicit conversion).</summary>
    /// <param name="address">The address.</param>
    /// <returns>A list of that one address.</returns>
    public static AddressList FromString(string address) => new([address]);

    /// <summary>Several addresses (the named form of the implicit conversion).</summary>
    /// <param name="addresses">The addresses.</param>
    /// <returns>A list of them.</returns>
    public static AddressList ToAddressList(string[] addresses) => new(addresses);

    /// <summary>The collection-expression builder (<c>["a@x.org", "b@x.org"]</c>).</summary>
    /// <param name="addresses">The addresses.</param>
    /// <returns>A list of them.</returns>
    public static AddressList Create(ReadOnlySpan<string> addresses) => new(addresses.ToArray());

    /// <inheritdoc />
    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)addresses).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(AddressList? other) => other is not null && addresses.AsSpan().SequenceEqual(other.addresses);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AddressList);

    /// <inheritdoc />
    public override int GetHashCode() => addresses.Aggregate(0, (h, a) => HashCode.Combine(h, a));

    /// <summary>The addresses, comma-separated.</summary>
    public override string ToString() => string.Join(", ", addresses);
}

/// <summary>Reads a string or an array of strings; writes one address as a string, several as an array.</summary>
internal sealed class AddressListJsonConverter : JsonConverter<AddressList>
{
    public override AddressList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return AddressList.FromString(reader.GetString()!);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("An address list is a string or an array of strings.");
        }

        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(reader.GetString() ?? throw new JsonException("An address is a string."));
        }

        return new AddressList(items);
    }

    public override void Write(Utf8JsonWriter writer, AddressList value, JsonSerializerOptions options)
    {
        if (value.Count == 1)
        {
            writer.WriteStringValue(value[0]);
            return;
        }

        writer.WriteStartArray();
        foreach (var address in value)
        {
            writer.WriteStringValue(address);
        }

        writer.WriteEndArray();
    }
}
