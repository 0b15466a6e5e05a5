using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using PenguinMails.ApiKeys;

// Cost of one API-key check as the server does it (checksum + HMAC-SHA256 + constant-time compare),
// beside a bcrypt verification of the same key (work factor 10), measured in the same run.
var key = ApiKeyFormat.Generate(KeyEnvironment.Live);
var hasher = new ApiKeyHasher(RandomNumberGenerator.GetBytes(64));
var stored = hasher.Hash(key);
var bcryptHash = BCrypt.Net.BCrypt.HashPassword(key, workFactor: 10);

var hmac = Measure(200_000, () => hasher.Matches(key, stored));
var full = Measure(200_000, () => ApiKeyFormat.IsWellFormed(key) && hasher.Matches(key, stored));
var bcrypt = Measure(20, () => BCrypt.Net.BCrypt.Verify(key, bcryptHash));

Console.WriteLine($"key: {key.Length} characters (bcrypt reads only the first 72 bytes)");
Console.WriteLine();
Console.WriteLine("| check | µs per check (mean) | p50 µs | p99 µs | × cost of HMAC |");
Console.WriteLine("|---|---:|---:|---:|---:|");
Row("HMAC-SHA256 + constant-time compare (baseline)", hmac, hmac);
Row("checksum + HMAC (the server's whole CPU path)", full, hmac);
Row("bcrypt verify, work factor 10", bcrypt, hmac);

static double[] Measure(int iterations, Func<bool> check)
{
    for (var i = 0; i < Math.Max(3, iterations / 10); i++)
    {
        if (!check())
        {
            throw new InvalidOperationException("check failed");
        }
    }

    var batch = Math.Max(1, iterations / 1000);
    var samples = new double[iterations / batch];
    for (var s = 0; s < samples.Length; s++)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < batch; i++)
        {
            check();
        }

        samples[s] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / batch;
    }

    Array.Sort(samples);
    return samples;
}

static void Row(string name, double[] samples, double[] baseline)
{
    var mean = samples.Average();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {mean:F2} | {samples[samples.Length / 2]:F2} | {samples[(int)(samples.Length * 0.99)]:F2} | {mean / baseline.Average():F1} |"));
}
