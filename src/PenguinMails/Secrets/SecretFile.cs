using System.Security.Cryptography;

namespace PenguinMails.Secrets;

/// <summary>
/// A server secret kept outside the database: the configured base64 value, else one generated once into
/// <c>&lt;data&gt;/secrets/&lt;file&gt;</c> (mode 600; base64 text). Two nodes starting at once agree: the loser of the
/// exclusive create reads the winner's file. Used by the API-key HMAC secret and the Data Protection master key.
/// </summary>
public static class SecretFile
{
    /// <exception cref="InvalidOperationException">the configured value is not base64 of at least <paramref name="minBytes"/> bytes.</exception>
    public static byte[] Load(PenguinMailsOptions options, string? configured, string settingName, string fileName, int bytes, int minBytes)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            byte[] value;
            try
            {
                value = Convert.FromBase64String(configured.Trim());
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{settingName} must be base64.");
            }

            return value.Length >= minBytes
                ? value
                : throw new InvalidOperationException($"{settingName} must decode to at least {minBytes} bytes.");
        }

        var path = options.DataPath("secrets", fileName);
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = RandomNumberGenerator.GetBytes(bytes);
        var options600 = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options600.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, options600);
            writer.Write(Convert.ToBase64String(secret));
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
    }
}
