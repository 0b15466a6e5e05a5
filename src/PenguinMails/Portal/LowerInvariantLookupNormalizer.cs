using Microsoft.AspNetCore.Identity;

namespace PenguinMails.Portal;

/// <summary>
/// Identity looks accounts up by normalized email; ours is the lower-cased form the product has always stored,
/// so the migration of the old users rows could fill the normalized columns with the stored address as it is.
/// </summary>
internal sealed class LowerInvariantLookupNormalizer : ILookupNormalizer
{
    public string? NormalizeName(string? name) => name?.Trim().ToLowerInvariant();

    public string? NormalizeEmail(string? email) => email?.Trim().ToLowerInvariant();
}
