using System.Diagnostics;
using PenguinMails.Tests.Cli;

namespace PenguinMails.Tests.Sdks;

/// <summary>
/// Each package installs with its own tool from a real listening server, offline (no registry is asked: pip
/// --no-index, an npm tarball without dependencies, Composer with packagist.org disabled), and the installed SDK loads.
/// </summary>
public sealed class SdkInstallTests : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private readonly PenguinMailsExecutable _executable = new();
    private readonly string _work = Directory.CreateTempSubdirectory("penguinmails-sdk-install-").FullName;
    private ServeProcess? _server;

    private string Sdks => _server!.BaseAddress.ToString().TrimEnd('/') + "/sdks";

    public async Task InitializeAsync() => _server = await ServeProcess.StartAsync(_executable, SdkSourcesForTests.Settings("__"));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _executable.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Pip_InstallsTheWheelAndTheSdist_IntoFreshVenvs()
    {
        // The sdist is built on install by its own standard-library backend (build_backend/): nothing to download.
        foreach (var (venv, file) in new[] { ("wheel", "penguinmails-1.0.0-py3-none-any.whl"), ("sdist", "penguinmails-1.0.0.tar.gz") })
        {
            var directory = Path.Combine(_work, venv);
            await RunAsync(_work, "/usr/bin/python3", "-m", "venv", directory);
            await RunAsync(_work, Path.Combine(directory, "bin", "pip"), "install", "--no-index", "--disable-pip-version-check", $"{Sdks}/python/{file}");
            var loaded = await RunAsync(_work, Path.Combine(directory, "bin", "python"), "-c",
                "import importlib.resources, penguinmails; c = penguinmails.Client('pm_live_secret'); "
                + "print(penguinmails.__version__, repr(c), importlib.resources.files('penguinmails').joinpath('py.typed').is_file(), "
                + "penguinmails.__file__)");
            Assert.StartsWith("1.0.0 Client(base_url='http://localhost:5080', api_key=<hidden>) True ", loaded, StringComparison.Ordinal);
            Assert.Contains(directory, loaded, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Npm_InstallsTheTarball_ForRequireAndImport()
    {
        var project = Directory.CreateDirectory(Path.Combine(_work, "node")).FullName;
        await File.WriteAllTextAsync(Path.Combine(project, "package.json"), """{"name": "consumer", "version": "1.0.0", "private": true}""");
        await RunAsync(project, "npm", "install", "--no-audit", "--no-fund", $"{Sdks}/node/penguinmails-sdk-1.0.0.tgz");
        var required = await RunAsync(project, "node", "-e",
            "const penguinmails = require('@penguinmails/sdk'); const c = new penguinmails.Client('pm_live_x'); console.log(typeof c.emails.send)");
        Assert.Equal("function", required.Trim());
        var imported = await RunAsync(project, "node", "--input-type=module", "-e",
            "import { Client } from '@penguinmails/sdk'; console.log(typeof new Client('pm_live_x').contacts.listAll)");
        Assert.Equal("function", imported.Trim());
    }

    [Fact]
    public async Task Composer_InstallsFromTheServersRepository()
    {
        var project = Directory.CreateDirectory(Path.Combine(_work, "php")).FullName;
        // The README's commands, with packagist.org off (offline) and plain HTTP allowed (a loopback test server).
        await File.WriteAllTextAsync(Path.Combine(project, "composer.json"), """{"repositories": [{"packagist.org": false}], "config": {"secure-http": false}}""");
        await RunAsync(project, "composer", "config", "repositories.penguinmails", "composer", $"{Sdks}/php");
        await RunAsync(project, "composer", "require", "--no-interaction", "penguinmails/sdk");
        var loaded = await RunAsync(project, "php", "-r",
            "require 'vendor/autoload.php'; $c = new PenguinMails\\Client('pm_live_x'); echo get_class($c);");
        Assert.Equal("PenguinMails\\Client", loaded.Trim());
    }

    [Fact]
    public async Task DotnetAddPackage_ResolvesTheLatestVersionAndInstallsFromTheFeed()
    {
        var project = Path.Combine(_work, "consumer");
        await RunAsync(_work, "dotnet", "new", "classlib", "-o", project, "--no-restore");
        // NuGet refuses plain-HTTP sources unless a NuGet.config allows it (NU1302): a loopback test server is plain HTTP.
        // The machine's package folder is a fallback for the SDK's own dependencies (nothing downloaded). The latest
        // version is always asked of the feed (registration, flat container); the .nupkg's bytes: SdkPackagesTests.
        var packages = Path.Combine(_work, "nuget-packages");
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources><add key="penguinmails" value="{Sdks}/dotnet/index.json" allowInsecureConnections="true" /></packageSources>
              <fallbackPackageFolders><add key="machine" value="{home}" /></fallbackPackageFolders>
            </configuration>
            """);
        _nugetPackages = packages;
        await RunAsync(project, "dotnet", "add", "package", "PenguinMails.Client");
        var csproj = await File.ReadAllTextAsync(Path.Combine(project, "consumer.csproj"));
        Assert.Contains("<PackageReference Include=\"PenguinMails.Client\" Version=\"1.0.0\" />", csproj, StringComparison.Ordinal);
        Assert.Contains("\"PenguinMails.Client/1.0.0\"", await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json")), StringComparison.Ordinal);
    }

    private string? _nugetPackages;

    private Task<string> RunAsync(string directory, params string[] command) => RunAsync(directory, command.AsEnumerable());

    private async Task<string> RunAsync(string directory, IEnumerable<string> command)
    {
        var args = command.ToList();
        var info = new ProcessStartInfo(args[0])
        {
            WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        args.Skip(1).ToList().ForEach(info.ArgumentList.Add);
        info.Environment["COMPOSER_HOME"] = Path.Combine(_work, ".composer");
        info.Environment["npm_config_cache"] = Path.Combine(_work, ".npm");
        info.Environment["PIP_NO_CACHE_DIR"] = "1";
        if (_nugetPackages is not null)
        {
            info.Environment["NUGET_PACKAGES"] = _nugetPackages;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', args)} did not finish within {CommandTimeout}.");
        }

        Assert.True(process.ExitCode == 0, $"{string.Join(' ', args)} exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return await stdout;
    }
}
