using System.Diagnostics;
using MimeKit;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Emails;

/// <summary>
/// A real SMTP server on a free loopback port: <c>tests/smtp/recording_smtp.py</c> on Debian's aiosmtpd, run by
/// the system interpreter. It records each accepted message as an .eml file and fails on demand by recipient
/// local part (tempfailN-, downN-, reject-, datafailN-, replyCODE.X.Y.Z-, datareplyCODE.X.Y.Z-, later-bounce-; see the script).
/// </summary>
public sealed class SmtpServer : IDisposable
{
    private readonly Process _process;

    public SmtpServer()
        : this(null)
    {
    }

    /// <summary>A server that requires AUTH PLAIN/LOGIN with <paramref name="credentials"/> (<c>user:password</c>).</summary>
    public static SmtpServer WithAuth(string credentials) => new(credentials);

    /// <summary>A server that does not announce SMTPUTF8 (RFC 6531) and answers non-ASCII commands with 500.</summary>
    public static SmtpServer WithoutSmtpUtf8() => new(null, "--no-smtputf8");

    /// <summary>A server that accepts <c>later-bounce-…@</c> recipients, then delivers a DSN to the message's return path into <paramref name="maildir"/>.</summary>
    public static SmtpServer BouncingInto(string maildir) => new(null, "--bounce-maildir=" + maildir);

    private SmtpServer(string? credentials, params string[] flags)
    {
        Port = LoopbackPorts.Free();
        var script = Path.Combine(AppContext.BaseDirectory, "smtp", "recording_smtp.py");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(Port.ToString());
        info.ArgumentList.Add(Directory);
        if (credentials is not null)
        {
            info.ArgumentList.Add(credentials);
        }

        foreach (var flag in flags)
        {
            info.ArgumentList.Add(flag);
        }

        _process = Process.Start(info)!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(20)) || ready.Result != "READY")
        {
            _process.Kill();
            throw new InvalidOperationException(
                $"The test SMTP server did not start (needs /usr/bin/python3 with aiosmtpd; ./test.sh installs python3-aiosmtpd): {_process.StandardError.ReadToEnd()}");
        }
    }

    public int Port { get; }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("penguinmails-smtp-").FullName;

    /// <summary>The server settings that send through this relay, plain SMTP on loopback.</summary>
    public IReadOnlyDictionary<string, string> Settings(string? username = null, string? password = null) => new Dictionary<string, string>
    {
        ["PenguinMails:Smtp:Host"] = "127.0.0.1",
        ["PenguinMails:Smtp:Port"] = Port.ToString(),
        ["PenguinMails:Smtp:Security"] = "none",
        ["PenguinMails:Smtp:Username"] = username ?? "",
        ["PenguinMails:Smtp:Password"] = password ?? "",
    };

    /// <summary>Every message received so far, with X-Test-Rcpt-To holding the envelope recipients.</summary>
    public List<MimeMessage> Messages() =>
        System.IO.Directory.GetFiles(Directory, "*.eml").Order().Select(f => MimeMessage.Load(f)).ToList();

    public List<MimeMessage> MessagesTo(string address) =>
        Messages().Where(m => m.Headers["X-Test-Rcpt-To"]?.Contains(address, StringComparison.OrdinalIgnoreCase) == true).ToList();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
