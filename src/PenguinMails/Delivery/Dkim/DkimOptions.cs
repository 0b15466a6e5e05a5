namespace PenguinMails.Delivery.Dkim;

/// <summary>
/// <c>PenguinMails:Dkim</c>: sign outgoing mail for one domain. Off while no key is configured; with a key,
/// Domain and Selector are required and a key that cannot be used stops the server at startup.
/// </summary>
public sealed class DkimOptions
{
    /// <summary>The signing domain (d=), e.g. <c>mail.example.com</c>.</summary>
    public string Domain { get; set; } = "";

    /// <summary>The selector (s=): the public key is published at <c>{Selector}._domainkey.{Domain}</c>.</summary>
    public string Selector { get; set; } = "";

    /// <summary>A PEM file holding the RSA private key (PKCS#1 or PKCS#8, unencrypted).</summary>
    public string PrivateKeyPath { get; set; } = "";

    /// <summary>The PEM text itself, for secret stores that hand out values rather than files; wins over the path.</summary>
    public string PrivateKey { get; set; } = "";

    public bool Configured => !string.IsNullOrWhiteSpace(PrivateKey) || !string.IsNullOrWhiteSpace(PrivateKeyPath)
        || !string.IsNullOrWhiteSpace(Domain) || !string.IsNullOrWhiteSpace(Selector);
}
