using Microsoft.Extensions.Options;

namespace PenguinMails.Portal;

/// <summary>
/// The base of links the server mails out (password resets, alerts): PublicUrl, else the server's first URL with a
/// wildcard host read as localhost — never a request's Host header, which an attacker could set to have a link point
/// at a host of theirs. No trailing slash.
/// </summary>
public sealed class PublicBaseUrl(IOptions<PenguinMailsOptions> options, IConfiguration configuration)
{
    public string Value
    {
        get
        {
            var url = !string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? options.Value.PublicUrl
                : configuration["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? ServerApp.DefaultUrl;
            foreach (var any in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
            {
                url = url.Replace(any, "://localhost", StringComparison.Ordinal);
            }

            return url.TrimEnd('/');
        }
    }
}
