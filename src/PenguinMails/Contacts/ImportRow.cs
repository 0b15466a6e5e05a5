namespace PenguinMails.Contacts;

/// <summary>One row of an import file: a request to upsert, or why the row cannot be one.</summary>
public sealed record ImportRow(int Row, string? Email, UpsertContactRequest? Request, IReadOnlyList<string> Errors)
{
    public static ImportRow Invalid(int row, string? email, params string[] errors) => new(row, email, null, errors);

    public static ImportRow Checked(int row, UpsertContactRequest request)
    {
        var errors = request.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(request))
            .Select(r => r.ErrorMessage ?? "invalid").ToList();
        return errors.Count == 0 ? new(row, request.Email, request, []) : new(row, request.Email, null, errors);
    }
}

/// <summary>The file cannot be read on from here (bad header, malformed JSON, too many rows).</summary>
public sealed class ImportFileException(string message) : Exception(message);
