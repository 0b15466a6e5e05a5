namespace PenguinMails.Tests.Infrastructure;

/// <summary>The checkout the tests run from, for tests that read its files (the SDKs' operation list, the server's sources).</summary>
public static class Checkout
{
    /// <summary>The folder holding <c>PenguinMails.slnx</c>, found upwards from the test assembly's folder.</summary>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PenguinMails.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The checkout's root (PenguinMails.slnx) is not above " + AppContext.BaseDirectory);
    }
}
