using System.Net.Http.Headers;
using System.Text;

namespace PenguinMails;

public sealed partial class ContactsResource
{
    /// <summary>
    /// Import contacts (sent as a JSON array) — POST /api/v1/contacts/import (<c>importContacts</c>, permission
    /// <c>contacts:write</c>): <c>BulkImportAsync([new() { Email = "ann@example.com", Tags = ["import"] }])</c>.
    /// Sent with an Idempotency-Key, the same on every retry of this call.
    /// </summary>
    /// <param name="contacts">The contacts to add or update, by email.</param>
    /// <param name="cancellationToken">Cancels the call, including its retry waits.</param>
    /// <returns>The counts and the failed rows.</returns>
    /// <exception cref="PenguinMailsException">The API answered with an error, or no answer came (after the retries).</exception>
    public Task<ImportReport> BulkImportAsync(IReadOnlyList<UpsertContactRequest> contacts, CancellationToken cancellationToken = default)
        => BulkImportAsync(new ImportContactsRequest { Contacts = contacts ?? throw new ArgumentNullException(nameof(contacts)) }, null, cancellationToken);

    /// <summary>
    /// Import contacts from CSV or a JSON array — POST /api/v1/contacts/import (<c>importContacts</c>, permission
    /// <c>contacts:write</c>). Sent with an Idempotency-Key, the same on every retry of this call.
    /// </summary>
    /// <param name="request">The contacts or the CSV text.</param>
    /// <param name="cancellationToken">Cancels the call, including its retry waits.</param>
    /// <returns>The counts and the failed rows.</returns>
    /// <exception cref="PenguinMailsException">The API answered with an error, or no answer came (after the retries).</exception>
    public Task<ImportReport> BulkImportAsync(ImportContactsRequest request, CancellationToken cancellationToken = default)
        => BulkImportAsync(request, null, cancellationToken);

    /// <summary>
    /// Import contacts from CSV or a JSON array — POST /api/v1/contacts/import (<c>importContacts</c>, permission
    /// <c>contacts:write</c>). Sent with an Idempotency-Key, the same on every retry of this call.
    /// </summary>
    /// <param name="request">The contacts or the CSV text.</param>
    /// <param name="requestOptions">Per-call options: the Idempotency-Key to send (a UUID v4 is generated when null).</param>
    /// <param name="cancellationToken">Cancels the call, including its retry waits.</param>
    /// <returns>The counts and the failed rows.</returns>
    /// <exception cref="PenguinMailsException">The API answered with an error, or no answer came (after the retries).</exception>
    public Task<ImportReport> BulkImportAsync(ImportContactsRequest request, RequestOptions? requestOptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if ((request.Contacts is null) == (request.Csv is null))
        {
            throw new ArgumentException("Give either Contacts or Csv.", nameof(request));
        }

        HttpContent content;
        if (request.Csv is not null)
        {
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.Csv));
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        }
        else
        {
            content = PenguinMailsTransport.Json(request.Contacts!, PenguinMailsJsonContext.Default.IReadOnlyListUpsertContactRequest);
        }

        return transport.SendAsync(HttpMethod.Post, "/api/v1/contacts/import", null, content, RetryMode.Always,
            requestOptions?.IdempotencyKey ?? Guid.NewGuid().ToString(), PenguinMailsJsonContext.Default.ImportReport, cancellationToken);
    }
}
