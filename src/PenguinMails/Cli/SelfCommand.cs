namespace PenguinMails.Cli;

/// <summary>
/// How to run this same executable's commands from where it was started, for hints printed to people: the
/// <c>dotnet run --project …</c> form in a checkout, <c>dotnet …/penguinmails.dll</c> under the dotnet host, else the
/// executable's own path.
/// </summary>
public static class SelfCommand
{
    public static string Describe()
    {
        var baseDirectory = AppContext.BaseDirectory;
        if (ProjectOf(baseDirectory) is { } project)
        {
            var relative = Path.GetRelativePath(Environment.CurrentDirectory, project);
            return $"dotnet run --project {Quote(relative == "." ? project : relative)} --";
        }

        var process = Environment.ProcessPath ?? "penguinmails";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? $"dotnet {Quote(Path.Combine(baseDirectory, "penguinmails.dll"))}"
            : Quote(process);
    }

    /// <summary>The project folder when running from its build output (<c>&lt;project&gt;/bin/&lt;configuration&gt;/&lt;tfm&gt;/</c>).</summary>
    private static string? ProjectOf(string baseDirectory)
    {
        var output = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var project = output.Parent?.Parent?.Parent;
        return output.Parent?.Parent?.Name == "bin" && project is not null
            && File.Exists(Path.Combine(project.FullName, "PenguinMails.csproj"))
            ? project.FullName
            : null;
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
