namespace PenguinMails.Tests.Sdks;

/// <summary>
/// The SDK files the package tests serve: the checkout's own (sdks/ and the .nupkg its build packed), unless
/// PENGUINMAILS_TEST_SDKS / PENGUINMAILS_TEST_SDK_PACKAGES name other folders (to check packaging of SDKs being written
/// in another checkout).
/// </summary>
public static class SdkSourcesForTests
{
    public static Dictionary<string, string> Settings(string separator)
    {
        var settings = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable("PENGUINMAILS_TEST_SDKS") is { Length: > 0 } sdks)
        {
            settings[$"PenguinMails{separator}Sdks{separator}Directory"] = sdks;
        }

        if (Environment.GetEnvironmentVariable("PENGUINMAILS_TEST_SDK_PACKAGES") is { Length: > 0 } packages)
        {
            settings[$"PenguinMails{separator}Sdks{separator}PackagesDirectory"] = packages;
        }

        return settings;
    }
}
