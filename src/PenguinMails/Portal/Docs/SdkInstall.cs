namespace PenguinMails.Portal.Docs;

/// <summary>One SDK as the portal's install tabs show it: package, install commands from this server, a first call.</summary>
public sealed record SdkPackage(string Id, string Label, string Package, string Runtime, string Install, string Example);

/// <summary>
/// The four SDKs (issue 15; the SDK contract's "Distribution"): this self-hosted server serves each package under
/// <c>/sdks/</c>, so the install commands point at its public base URL (<see cref="PublicBaseUrl"/>), not at
/// a public registry. Each example sends the spec's first email with a test key placeholder.
/// </summary>
public static class SdkInstall
{
    public const string Version = "1.0.0";

    public static IReadOnlyList<SdkPackage> For(string baseUrl) =>
    [
        new("node", "Node.js", "@penguinmails/sdk", "Node.js 20 or later",
            $"npm install {baseUrl}/sdks/node/penguinmails-sdk-{Version}.tgz",
            $"const penguinmails = require('@penguinmails/sdk');\n\nconst client = new penguinmails.Client('pm_test_...', {{ baseUrl: '{baseUrl}' }});\n\n"
            + "await client.emails.send({\n  to: 'user@example.com',\n  subject: 'Hello',\n  html_body: '<h1>Hello World</h1>',\n});\n"),
        new("python", "Python", "penguinmails", "Python 3.11 or later",
            $"pip install {baseUrl}/sdks/python/penguinmails-{Version}-py3-none-any.whl",
            $"import penguinmails\n\nclient = penguinmails.Client(\"pm_test_...\", base_url=\"{baseUrl}\")\n\n"
            + "client.emails.send({\n    \"to\": \"user@example.com\",\n    \"subject\": \"Hello\",\n    \"html_body\": \"<h1>Hello World</h1>\",\n})\n"),
        new("php", "PHP", "penguinmails/sdk", "PHP 8.2 or later",
            $"composer config repositories.penguinmails composer {baseUrl}/sdks/php\ncomposer require penguinmails/sdk",
            $"<?php\nrequire 'vendor/autoload.php';\n\n$client = new PenguinMails\\Client('pm_test_...', ['base_url' => '{baseUrl}']);\n\n"
            + "$client->emails->send([\n    'to' => 'user@example.com',\n    'subject' => 'Hello',\n    'html_body' => '<h1>Hello World</h1>',\n]);\n"),
        new("csharp", "C#", "PenguinMails.Client", ".NET 10",
            $"dotnet nuget add source {baseUrl}/sdks/dotnet/index.json --name penguinmails\ndotnet add package PenguinMails.Client",
            $"using PenguinMails;\n\nvar client = new PenguinMailsClient(\"pm_test_...\", new PenguinMailsClientOptions\n{{\n    BaseUrl = \"{baseUrl}\",\n}});\n\n"
            + "await client.Emails.SendAsync(new SendEmailRequest\n{\n    To = \"user@example.com\",\n    Subject = \"Hello\",\n    HtmlBody = \"<h1>Hello World</h1>\",\n});\n"),
    ];
}
