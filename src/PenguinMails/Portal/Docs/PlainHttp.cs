namespace PenguinMails.Portal.Docs;

/// <summary>
/// An operation called with each language's own HTTP client: cURL and Ruby's net/http for every operation, and for
/// the operations outside the SDKs also Node's fetch, Python's urllib, PHP's curl and .NET's HttpClient. The body is
/// the example's JSON as it goes on the wire.
/// </summary>
internal sealed record PlainHttp(string Curl, string Ruby, string Node, string Python, string Php, string CSharp)
{
    public static PlainHttp For(DocOperation op, string url)
    {
        var json = op.ExampleBody is null ? null : CodeLiterals.Json(op.ExampleBody);
        var auth = op.Authenticated;
        var key = CodeSamples.KeyPlaceholder;
        return new PlainHttp(CurlOf(op, url, json), RubyOf(op, url, json),
            Node: $"const response = await fetch('{url}', {{\n    method: '{op.Method}',\n"
                + (auth || json is not null ? "    headers: {\n" + (auth ? $"        'Authorization': 'Bearer {key}',\n" : "") + (json is not null ? "        'Content-Type': 'application/json',\n" : "") + "    },\n" : "")
                + (json is not null ? $"    body: JSON.stringify({CodeLiterals.JavaScript(op.ExampleBody, 1)}),\n" : "")
                + "});\nconsole.log(response.status, await response.text());\n",
            Python: "import json\nimport urllib.request\n\n"
                + (json is not null ? $"body = json.dumps({CodeLiterals.Python(op.ExampleBody)}).encode()\n" : "")
                + $"request = urllib.request.Request(\"{url}\", method=\"{op.Method}\"" + (json is not null ? ", data=body" : "") + ")\n"
                + (auth ? $"request.add_header(\"Authorization\", \"Bearer {key}\")\n" : "")
                + (json is not null ? "request.add_header(\"Content-Type\", \"application/json\")\n" : "")
                + "with urllib.request.urlopen(request) as response:\n    print(response.status, response.read().decode())\n",
            Php: $"<?php\n$curl = curl_init('{url}');\ncurl_setopt($curl, CURLOPT_CUSTOMREQUEST, '{op.Method}');\ncurl_setopt($curl, CURLOPT_RETURNTRANSFER, true);\n"
                + "curl_setopt($curl, CURLOPT_HTTPHEADER, [" + string.Join(", ", new[] { auth ? $"'Authorization: Bearer {key}'" : null, json is not null ? "'Content-Type: application/json'" : null }.OfType<string>()) + "]);\n"
                + (json is not null ? $"curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode({CodeLiterals.Php(op.ExampleBody)}));\n" : "")
                + "$body = curl_exec($curl);\necho curl_getinfo($curl, CURLINFO_RESPONSE_CODE), ' ', $body, PHP_EOL;\n",
            CSharp: "using var http = new HttpClient();\n"
                + $"using var request = new HttpRequestMessage(HttpMethod.{char.ToUpperInvariant(op.Method[0])}{op.Method[1..].ToLowerInvariant()}, \"{url}\");\n"
                + (auth ? $"request.Headers.Authorization = new(\"Bearer\", \"{key}\");\n" : "")
                + (json is not null ? $"request.Content = new StringContent(\"\"\"\n{json}\n\"\"\", System.Text.Encoding.UTF8, \"application/json\");\n" : "")
                + "using var response = await http.SendAsync(request);\nConsole.WriteLine($\"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\");\n");
    }

    private static string CurlOf(DocOperation op, string url, string? json)
    {
        var lines = new List<string> { $"curl -X {op.Method} \"{url}\"" };
        if (op.Authenticated)
        {
            lines.Add($"-H \"Authorization: Bearer {CodeSamples.KeyPlaceholder}\"");
        }

        if (json is not null)
        {
            lines.Add("-H \"Content-Type: application/json\"");
        }

        if (op.Idempotent)
        {
            lines.Add($"-H \"Idempotency-Key: {DocExamples.IdempotencyKey}\"");
        }

        if (json is not null)
        {
            lines.Add("-d '" + json.Replace("'", "'\\''") + "'");
        }

        return string.Join(" \\\n  ", lines) + "\n";
    }

    private static string RubyOf(DocOperation op, string url, string? json)
    {
        var method = char.ToUpperInvariant(op.Method[0]) + op.Method[1..].ToLowerInvariant();
        return "require \"net/http\"\nrequire \"json\"\n\n"
            + $"uri = URI(\"{url}\")\nrequest = Net::HTTP::{method}.new(uri)\n"
            + (op.Authenticated ? $"request[\"Authorization\"] = \"Bearer {CodeSamples.KeyPlaceholder}\"\n" : "")
            + (op.Idempotent ? $"request[\"Idempotency-Key\"] = \"{DocExamples.IdempotencyKey}\"\n" : "")
            + (json is not null ? $"request[\"Content-Type\"] = \"application/json\"\nrequest.body = <<~'JSON'\n{Indent(json)}\nJSON\n" : "")
            + "\nresponse = Net::HTTP.start(uri.hostname, uri.port, use_ssl: uri.scheme == \"https\") do |http|\n  http.request(request)\nend\n"
            + "puts response.code\nputs response.body\n";
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "  " + l));
}
