// Paced load for the rate-limit accuracy table. Reads scenarios from stdin, one a line:
//   NAME KEY REQ_PER_S SECONDS PER_MINUTE BURST URL[,URL...]
// runs them all at once in this one process, and prints for each, in the order given:
//   NAME sent allowed refused other ideal elapsed_s
// Each scenario is an open loop: request i leaves at start + i/rate whatever the answers, alternating between
// its nodes. "ideal" is what one exact GCRA limiter (the plan's rate and burst) allows for the same send times,
// computed here independently of the server's code.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

var scenarios = new List<string[]>();
while (Console.ReadLine() is { } line)
{
    if (line.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 7 } fields)
    {
        scenarios.Add(fields);
    }
}

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromSeconds(30) };
var results = await Task.WhenAll(scenarios.Select(RunAsync));
foreach (var result in results)
{
    Console.WriteLine(result);
}

return 0;

async Task<string> RunAsync(string[] scenario)
{
    var (name, key) = (scenario[0], scenario[1]);
    var rate = double.Parse(scenario[2], CultureInfo.InvariantCulture);
    var seconds = double.Parse(scenario[3], CultureInfo.InvariantCulture);
    var perMinute = int.Parse(scenario[4], CultureInfo.InvariantCulture);
    var burst = int.Parse(scenario[5], CultureInfo.InvariantCulture);
    var nodes = scenario[6].Split(',').Select(url => new Uri(new Uri(url), "/api/v1/me")).ToArray();

    var sendTimes = new List<double>();
    var requests = new List<Task<int>>();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i / rate <= seconds; i++)
    {
        var wait = i / rate - clock.Elapsed.TotalSeconds;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait));
        }

        sendTimes.Add(clock.Elapsed.TotalSeconds);
        requests.Add(SendAsync(nodes[i % nodes.Length], key));
    }

    var statuses = await Task.WhenAll(requests);

    // The ideal: one GCRA over the same send times; tat is when the tenant would be idle again.
    var emission = 60.0 / perMinute;
    var tat = double.NegativeInfinity;
    var ideal = 0;
    foreach (var t in sendTimes)
    {
        var next = Math.Max(tat, t) + emission;
        if (next - t <= burst * emission + 1e-9)
        {
            tat = next;
            ideal++;
        }
    }

    return string.Create(CultureInfo.InvariantCulture,
        $"{name} {statuses.Length} {statuses.Count(s => s == 200)} {statuses.Count(s => s == 429)} " +
        $"{statuses.Count(s => s is not (200 or 429))} {ideal} {sendTimes[^1] - sendTimes[0]:F2}");
}

async Task<int> SendAsync(Uri url, string key)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, url);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
    try
    {
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }
    catch (HttpRequestException)
    {
        return 0;
    }
}
