using System.Diagnostics;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>
/// Verifies a received message's DKIM signature with dkimpy (Debian's python3-dkim), code this project did not write:
/// <c>tests/dns/dkim_verify.py</c>, whose DNS answers the given TXT value for the given name and nothing else.
/// </summary>
public static class Dkimpy
{
    /// <summary>"PASS asked=…" or "FAIL asked=…".</summary>
    public static string Verify(string file, string name, string txt)
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "dns", "dkim_verify.py"), file, name, txt })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dkim_verify.py failed (needs python3-dkim): {error}");
        return output.Trim();
    }

    /// <summary>The TXT record of the key the seeded sending domains sign with (<see cref="PenguinMailsFactory.SeededDomainKey"/>).</summary>
    public static string SeededKeyRecord =>
        $"v=DKIM1; k=rsa; p={Convert.ToBase64String(PenguinMailsFactory.SeededDomainKey.ExportSubjectPublicKeyInfo())}";
}
