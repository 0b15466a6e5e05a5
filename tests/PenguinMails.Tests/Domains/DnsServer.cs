using System.Diagnostics;
using System.Text.Json;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Domains;

/// <summary>
/// A real DNS server on a free loopback port: <c>tests/dns/zone_dns.py</c> on Debian's python3-dnslib, run by the system
/// interpreter. Tests publish and remove records, or make it answer SERVFAIL or nothing at all, by rewriting its zone
/// file, which it reads again for every query.
/// </summary>
public sealed class DnsServer : IDisposable
{
    private readonly Process _process;
    private readonly string _zone = Path.Combine(Directory.CreateTempSubdirectory("penguinmails-dns-").FullName, "zone.json");
    private readonly List<Record> _records = [];
    private readonly Lock _lock = new();
    private string _mode = "normal";

    public DnsServer()
    {
        Port = LoopbackPorts.Free();
        Write();
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dns", "zone_dns.py"));
        info.ArgumentList.Add(Port.ToString());
        info.ArgumentList.Add(_zone);
        _process = Process.Start(info)!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(20)) || ready.Result != "READY")
        {
            _process.Kill();
            throw new InvalidOperationException(
                $"The test DNS server did not start (needs /usr/bin/python3 with dnslib; ./test.sh installs python3-dnslib): {_process.StandardError.ReadToEnd()}");
        }
    }

    public int Port { get; }

    /// <summary>The server settings that resolve through this server, quickly giving up on it when it is silent.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["PenguinMails:Domains:DnsServers:0"] = $"127.0.0.1:{Port}",
        ["PenguinMails:Domains:DnsTimeoutSeconds"] = "0.5",
        ["PenguinMails:Domains:DnsRetries"] = "1",
        ["PenguinMails:Domains:JobEnabled"] = "false",
    };

    public void Publish(string name, string type, string value)
    {
        lock (_lock)
        {
            _records.Add(new Record(name, type, value));
            Write();
        }
    }

    /// <summary>Removes every record at <paramref name="name"/> or below it.</summary>
    public void RemoveUnder(string name)
    {
        lock (_lock)
        {
            _records.RemoveAll(r => r.Name == name || r.Name.EndsWith("." + name, StringComparison.Ordinal));
            Write();
        }
    }

    /// <summary><c>normal</c>, <c>servfail</c> (every query answers SERVFAIL) or <c>timeout</c> (no answer at all).</summary>
    public void Mode(string mode)
    {
        lock (_lock)
        {
            _mode = mode;
            Write();
        }
    }

    private void Write()
    {
        var text = JsonSerializer.Serialize(new { mode = _mode, records = _records.Select(r => new { name = r.Name, type = r.Type, value = r.Value }) });
        var temporary = _zone + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, _zone, overwrite: true); // the server never reads half a file
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        Directory.Delete(Path.GetDirectoryName(_zone)!, recursive: true);
    }

    private sealed record Record(string Name, string Type, string Value);
}
