using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using PenguinMails.ApiKeys;

// Cost of one API-key check as the server does it (checksum + HMAC-SHA256 + constant-time compare),
// beside a bcrypt verification of the same key (work factor 10), all measured in the same run.
// A plain Stopwatch loop, not BenchmarkDotNet: the whole run stays well under a minute on 2 cores.
// Optional arguments: HMAC iterations (default 200000), bcrypt iterations (default 20).
var hmacIterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
var bcryptIterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;

var key = ApiKeyFormat.Generate(KeyEnvironment.Live);
var hasher = new ApiKeyHasher(RandomNumberGenerator.GetBytes(64));
var storedHash = hasher.Hash(key);
var bcryptHash = BCrypt.Net.BCrypt.HashPassword(key, workFactor: 10);

// The three checks run interleaved in rounds, so that load from other processes on a shared machine
// falls on all of them alike; each round warms up, then times every call on its own.
const int Rounds = 5;
var checks = new (string Name, int Iterations, Func<bool> Check)[]
{
    ("HMAC", hmacIterations, () => hasher.Matches(key, storedHash)),
    ("checksum + HMAC", hmacIterations, () => ApiKeyFormat.IsWellFormed(key) && hasher.Matches(key, storedHash)),
    ("bcrypt", bcryptIterations, () => BCrypt.Net.BCrypt.Verify(key, bcryptHash)),
};
var samples = checks.Select(c => new List<double>(c.Iterations)).ToArray();
var timerCost = TimerCost();
var total = Stopwatch.StartNew();
for (var round = 0; round < Rounds; round++)
{
    for (var c = 0; c < checks.Length; c++)
    {
        var perRound = Math.Max(1, checks[c].Iterations / Rounds);
        samples[c].AddRange(Measure(checks[c].Name, perRound, round == 0 ? Math.Max(3, perRound / 5) : 2, checks[c].Check));
    }
}

total.Stop();
var results = samples.Select(Summarize).ToArray();

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, 1-min load average at the end {LoadAverage()} (this run adds ≈ 1)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"key: {key.Length} ASCII characters ({ApiKeyFormat.LivePrefix}…); bcrypt reads at most 72 bytes, so it sees the whole key"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{Rounds} interleaved rounds after warm-up; every check timed on its own (timer cost ≈ {timerCost * 1000:F0} ns, included); whole run {total.Elapsed.TotalSeconds:F1} s"));
Console.WriteLine();
Console.WriteLine("| check | iterations | µs per check (mean) | p50 µs | p99 µs | × HMAC (mean) | × HMAC (p50) |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
Row("`ApiKeyHasher.Matches`: HMAC-SHA256 + constant-time compare (baseline)", results[0], results[0]);
Row("`ApiKeyFormat.IsWellFormed` + `Matches` (the server's whole CPU path)", results[1], results[0]);
Row("`BCrypt.Verify`, work factor 10", results[2], results[0]);

static double[] Measure(string name, int iterations, int warmUp, Func<bool> check)
{
    // Warm-up: lets tiered compilation reach optimized code and fills the caches.
    for (var i = 0; i < warmUp; i++)
    {
        Verify(name, check());
    }

    GC.Collect();
    GC.WaitForPendingFinalizers();

    var ok = true;
    var times = new double[iterations];
    for (var i = 0; i < iterations; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        ok &= check();
        times[i] = Micros(Stopwatch.GetTimestamp() - t0);
    }

    Verify(name, ok);
    return times;
}

// Raw timestamp ticks (1 ns on Linux); a TimeSpan would round to 100 ns.
static double Micros(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

static Result Summarize(List<double> times)
{
    var sorted = times.ToArray();
    Array.Sort(sorted);
    return new Result(sorted.Length, sorted.Average(), Percentile(sorted, 0.50), Percentile(sorted, 0.99));
}

// Median µs of timing an empty call the same way the checks are timed.
static double TimerCost()
{
    Func<bool> empty = static () => true;
    var times = new double[100_000];
    for (var i = 0; i < times.Length; i++)
    {
        var t0 = Stopwatch.GetTimestamp();
        empty();
        times[i] = Micros(Stopwatch.GetTimestamp() - t0);
    }

    Array.Sort(times);
    return times[times.Length / 2];
}

static void Verify(string name, bool ok)
{
    if (!ok)
    {
        throw new InvalidOperationException($"{name}: the check rejected a valid key");
    }
}

static double Percentile(double[] sorted, double p) =>
    sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

static void Row(string name, Result r, Result baseline) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {r.Iterations} | {r.Mean:F2} | {r.P50:F2} | {r.P99:F2} | {Ratio(r.Mean / baseline.Mean)} | {Ratio(r.P50 / baseline.P50)} |"));

static string Ratio(double ratio) =>
    ratio.ToString(ratio < 100 ? "F1" : "N0", CultureInfo.InvariantCulture);

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "n/a";
    }
    catch (UnauthorizedAccessException)
    {
        return "n/a";
    }
}

internal sealed record Result(int Iterations, double Mean, double P50, double P99);
