using System.Security.Cryptography;

namespace PenguinMails.Delivery.Dkim;

/// <summary>Reads and checks the configured DKIM key; every failure says which setting to fix.</summary>
internal static class DkimKey
{
    public const int MinimumBits = 1024;

    /// <summary>The PEM text of a usable RSA private key, or an exception naming the setting at fault.</summary>
    public static string LoadPem(DkimOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Domain) || string.IsNullOrWhiteSpace(options.Selector))
        {
            throw Misconfigured("PenguinMails:Dkim:Domain and PenguinMails:Dkim:Selector are both required when DKIM is configured.");
        }

        string pem, origin;
        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            (pem, origin) = (options.PrivateKey, "PenguinMails:Dkim:PrivateKey");
        }
        else if (string.IsNullOrWhiteSpace(options.PrivateKeyPath))
        {
            throw Misconfigured("set PenguinMails:Dkim:PrivateKeyPath (a PEM file) or PenguinMails:Dkim:PrivateKey (PEM text).");
        }
        else
        {
            var path = Path.GetFullPath(options.PrivateKeyPath);
            origin = $"PenguinMails:Dkim:PrivateKeyPath ('{path}')";
            try
            {
                pem = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Misconfigured($"{origin} cannot be read: {e.Message}");
            }
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw Misconfigured($"{origin} is not an unencrypted PEM RSA private key (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY).");
        }

        return rsa.KeySize >= MinimumBits ? pem
            : throw Misconfigured($"{origin} is a {rsa.KeySize}-bit key; DKIM needs at least {MinimumBits} bits (2048 recommended).");
    }

    private static InvalidOperationException Misconfigured(string problem) => new($"DKIM is misconfigured: {problem}");
}
