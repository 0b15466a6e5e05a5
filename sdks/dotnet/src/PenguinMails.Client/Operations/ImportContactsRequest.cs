namespace PenguinMails;

/// <summary>
/// The file of <c>POST /api/v1/contacts/import</c> (<c>importContacts</c>): either <see cref="Contacts"/> (sent as a
/// JSON array, each object the fields of POST /contacts) or <see cref="Csv"/> (CSV text with a header row: email,
/// first_name, last_name, status, tags, and attribute columns). Exactly one of the two.
/// </summary>
public sealed record ImportContactsRequest
{
    /// <summary>The contacts to add or update, by email.</summary>
    public IReadOnlyList<UpsertContactRequest>? Contacts { get; init; }

    /// <summary>CSV text (UTF-8 on the wire), as exported by spreadsheets or by <c>Contacts.ExportAsync</c>.</summary>
    public string? Csv { get; init; }
}
