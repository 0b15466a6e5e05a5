using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace PenguinMails.Delivery.Dkim;

/// <summary>
/// MimeKit's DKIM signer (RFC 6376: rsa-sha256, relaxed/relaxed; MimeKit canonicalizes, hashes the body and writes
/// the header) whose one RSA operation is done by .NET's <see cref="RSA"/> — OpenSSL on Linux — instead of
/// BouncyCastle's managed big integers: RSASSA-PKCS1-v1_5 over SHA-256 (RFC 8017 section 8.2), the same bytes
/// MimeKit's own signer makes, in about a quarter of the CPU (4.2 ms a signature with a 2048-bit key on this
/// project's 2-core bench machine; bench/README.md, "Eighth round"). Safe to use from several threads:
/// each signature takes an <see cref="RSA"/> of its own from a small pool.
/// </summary>
public sealed class RsaDkimSigner : DkimSigner
{
    private readonly byte[] _pkcs8;
    private readonly ConcurrentBag<RSA> _pool = [];

    private RsaDkimSigner(byte[] pkcs8, string domain, string selector)
        : base(PrivateKeyFactory.CreateKey(pkcs8), domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        _pkcs8 = pkcs8;
        HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
        BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed;
    }

    /// <summary>A signer for d=<paramref name="domain"/>, s=<paramref name="selector"/> from a PKCS#8 DER RSA private key.</summary>
    /// <exception cref="CryptographicException">The bytes are not a PKCS#8 RSA private key.</exception>
    public static RsaDkimSigner FromPkcs8(byte[] pkcs8, string domain, string selector)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out _);
        return new RsaDkimSigner(pkcs8, domain, selector);
    }

    /// <summary>A signer from PEM text (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY), as the operator configures it.</summary>
    /// <exception cref="ArgumentException">The text holds no PEM key.</exception>
    /// <exception cref="CryptographicException">The PEM is not an unencrypted RSA private key.</exception>
    public static RsaDkimSigner FromPem(string pem, string domain, string selector)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaDkimSigner(rsa.ExportPkcs8PrivateKey(), domain, selector);
    }

    /// <summary>Called by MimeKit once per signature, with the canonicalized headers to sign.</summary>
    protected override ISigner CreateSigningContext() => new Pkcs1Sha256(this);

    private RSA Rent()
    {
        if (_pool.TryTake(out var rsa))
        {
            return rsa;
        }

        rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_pkcs8, out _);
        return rsa;
    }

    private void Return(RSA rsa) => _pool.Add(rsa);

    /// <summary>One signature's data, gathered as MimeKit writes it, then hashed and signed at once.</summary>
    private sealed class Pkcs1Sha256(RsaDkimSigner owner) : ISigner
    {
        private readonly ArrayBufferWriter<byte> _data = new(1024);

        public string AlgorithmName => "SHA-256withRSA";

        /// <summary>The key is the signer's own; <paramref name="parameters"/> are not read.</summary>
        public void Init(bool forSigning, ICipherParameters parameters) => Reset();

        public void Update(byte input) => _data.Write([input]);

        public void BlockUpdate(byte[] input, int inOff, int inLen) => _data.Write(input.AsSpan(inOff, inLen));

        public void BlockUpdate(ReadOnlySpan<byte> input) => _data.Write(input);

        public int GetMaxSignatureSize()
        {
            var rsa = owner.Rent();
            try
            {
                return (rsa.KeySize + 7) / 8;
            }
            finally
            {
                owner.Return(rsa);
            }
        }

        public byte[] GenerateSignature()
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(_data.WrittenSpan, hash);
            var rsa = owner.Rent();
            try
            {
                return rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            finally
            {
                owner.Return(rsa);
                Reset();
            }
        }

        public bool VerifySignature(byte[] signature)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(_data.WrittenSpan, hash);
            var rsa = owner.Rent();
            try
            {
                return rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            }
            finally
            {
                owner.Return(rsa);
                Reset();
            }
        }

        public void Reset() => _data.ResetWrittenCount();
    }
}
