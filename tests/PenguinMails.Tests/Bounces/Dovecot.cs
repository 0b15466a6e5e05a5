using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Bounces;

/// <summary>
/// A real IMAP and POP3 server on free loopback ports: Debian's dovecot (<c>dovecot-imapd</c>, <c>dovecot-pop3d</c>;
/// ./test.sh installs them) with a config of its own in a temp directory — one passwd-file user, plain auth without
/// TLS on loopback, the mailbox a Maildir the tests deliver into as an MTA's local delivery does (tmp/, then new/).
/// IMAP folders are Maildir++ subdirectories (<c>.Processed</c>). Stopped and deleted on dispose.
/// </summary>
public sealed class Dovecot : IDisposable
{
    public const string User = "bounces";
    public const string Password = "s3cret-mailbox-pw";
    private const int MailUid = 65534;
    private static int _sequence;

    public Dovecot()
    {
        (ImapPort, Pop3Port) = (LoopbackPorts.Free(), LoopbackPorts.Free());
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "run"));
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "state"));
        foreach (var sub in new[] { "new", "cur", "tmp" })
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Maildir, sub));
        }

        File.WriteAllText(Path.Combine(Directory, "passwd"), $"{User}:{{PLAIN}}{Password}\n");
        File.WriteAllText(Config, $$"""
            protocols = imap pop3
            listen = 127.0.0.1
            base_dir = {{Directory}}/run
            state_dir = {{Directory}}/state
            log_path = {{Directory}}/dovecot.log
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            first_valid_uid = 1
            mail_location = maildir:{{Maildir}}
            pop3_uidl_format = %08Xu%08Xv
            passdb {
              driver = passwd-file
              args = scheme=PLAIN {{Directory}}/passwd
            }
            userdb {
              driver = static
              args = uid={{MailUid}} gid={{MailUid}} home={{Directory}}/home
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{ImapPort}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            service pop3-login {
              inet_listener pop3 {
                address = 127.0.0.1
                port = {{Pop3Port}}
              }
              inet_listener pop3s {
                port = 0
              }
            }
            """);
        Run("chown", "-R", $"{MailUid}:{MailUid}", Path.Combine(Directory, "mail"));
        Run("chmod", "755", Directory);
        // The master binds its listeners before it detaches, so they answer once the command returns. Its output is not
        // redirected: the detached master would hold the pipe open for ever.
        using (var master = Process.Start(new ProcessStartInfo("/usr/sbin/dovecot") { ArgumentList = { "-c", Config }, UseShellExecute = false })!)
        {
            master.WaitForExit();
        }

        if (!Listening(ImapPort) || !Listening(Pop3Port))
        {
            throw new InvalidOperationException($"dovecot did not start: {File.ReadAllText(Path.Combine(Directory, "dovecot.log"))}");
        }
    }

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("penguinmails-dovecot-").FullName;
    public string Maildir => Path.Combine(Directory, "mail", "Maildir");
    public int ImapPort { get; }
    public int Pop3Port { get; }
    private string Config => Path.Combine(Directory, "dovecot.conf");

    /// <summary>The settings that point the bounce mailbox reader at this server.</summary>
    public IReadOnlyDictionary<string, string> Settings(string protocol = "imap") => new Dictionary<string, string>
    {
        ["PenguinMails:Bounces:Mailbox:Protocol"] = protocol,
        ["PenguinMails:Bounces:Mailbox:Host"] = "127.0.0.1",
        ["PenguinMails:Bounces:Mailbox:Port"] = (protocol == "pop3" ? Pop3Port : ImapPort).ToString(),
        ["PenguinMails:Bounces:Mailbox:Tls"] = "none",
        ["PenguinMails:Bounces:Mailbox:User"] = User,
        ["PenguinMails:Bounces:Mailbox:Password"] = Password,
    };

    /// <summary>Local delivery of one mail, as an MTA does it: written in tmp/, renamed into new/.</summary>
    public void Deliver(string rfc822)
    {
        var name = $"{DateTime.UtcNow.Ticks}.{Environment.ProcessId}_{Interlocked.Increment(ref _sequence)}.test";
        var temporary = Path.Combine(Maildir, "tmp", name);
        File.WriteAllText(temporary, rfc822.ReplaceLineEndings("\r\n"));
        File.Move(temporary, Path.Combine(Maildir, "new", name));
    }

    /// <summary>How many mails a folder holds: <c>""</c> the inbox, else an IMAP folder's name.</summary>
    public int Count(string folder = "")
    {
        var root = folder == "" ? Maildir : Path.Combine(Maildir, "." + folder);
        return new[] { "new", "cur" }.Select(s => Path.Combine(root, s)).Where(System.IO.Directory.Exists)
            .Sum(d => System.IO.Directory.GetFiles(d).Length);
    }

    public void Dispose()
    {
        var pid = Path.Combine(Directory, "run", "master.pid");
        if (File.Exists(pid) && int.TryParse(File.ReadAllText(pid).Trim(), out var id))
        {
            try
            {
                using var master = Process.GetProcessById(id);
                master.Kill(entireProcessTree: true);
                master.WaitForExit(5000);
            }
            catch (ArgumentException)
            {
            }
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {error} — ./test.sh installs dovecot-imapd and dovecot-pop3d");
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
