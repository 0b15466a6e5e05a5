using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using PenguinMails.Data;

namespace PenguinMails.Secrets;

public static class SecretsExtensions
{
    /// <summary>The application name every node shares, so that each can read what another protected (cookies included).</summary>
    public const string ApplicationName = "PenguinMails";

    /// <summary>
    /// ASP.NET Core Data Protection with its key ring in the database (every node reads the same ring) and each key
    /// encrypted by <see cref="MasterKeyXmlEncryptor"/>: a stolen database alone reveals no key (DECISIONS.md "Secrets").
    /// </summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PenguinMailsOptions>>().Value;
            return new MasterKey(SecretFile.Load(options, options.DataProtection.MasterKey,
                "PenguinMails:DataProtection:MasterKey", "data-protection.key", MasterKey.Bytes, MasterKey.Bytes));
        });
        services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<AppDb>();
        services.AddOptions<KeyManagementOptions>().Configure<MasterKey>((o, key) => o.XmlEncryptor = new MasterKeyXmlEncryptor(key));
        return services;
    }
}
