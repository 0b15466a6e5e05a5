using System.Text.Json;

namespace PenguinMails;

public sealed partial class SuppressionsResource
{
    /// <summary>
    /// Suppress one address (<c>email</c>) or several (<c>emails</c>, up to 1000) — POST /api/v1/suppressions
    /// (<c>addSuppressions</c>, permission <c>contacts:write</c>). The server answers one address with the single
    /// result (201) and several with counts (200); both come back here as <see cref="AddedSuppressions"/>.
    /// </summary>
    /// <param name="request">The address(es), reason and note.</param>
    /// <param name="cancellationToken">Cancels the call, including its retry waits.</param>
    /// <returns>The counts and one result per address.</returns>
    /// <exception cref="PenguinMailsException">The API answered with an error, or no answer came (after the retries).</exception>
    public async Task<AddedSuppressions> AddAsync(AddSuppressionsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var data = await transport.SendAsync(HttpMethod.Post, "/api/v1/suppressions", null,
            PenguinMailsTransport.Json(request, PenguinMailsJsonContext.Default.AddSuppressionsRequest), RetryMode.OnlyUnsent, null,
            PenguinMailsJsonContext.Default.JsonElement, cancellationToken).ConfigureAwait(false);
        if (data.TryGetProperty("results", out _))
        {
            return data.Deserialize(PenguinMailsJsonContext.Default.AddedSuppressions)!;
        }

        var one = data.Deserialize(PenguinMailsJsonContext.Default.AddedSuppression)!;
        return new AddedSuppressions { Added = one.AlreadySuppressed ? 0 : 1, AlreadySuppressed = one.AlreadySuppressed ? 1 : 0, Results = [one] };
    }
}
