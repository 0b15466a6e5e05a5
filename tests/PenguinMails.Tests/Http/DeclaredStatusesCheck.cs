using System.Text.Json.Nodes;
using PenguinMails.Tests.Infrastructure;

namespace PenguinMails.Tests.Http;

/// <summary>
/// The second phase of ./test.sh: after the whole suite ran with <see cref="AnsweredStatuses"/> recording, every
/// (operation, status) a test server answered must be declared in the OpenAPI document. Excluded from the first
/// phase by its trait; it fails, never skips, when there is no record to check.
/// </summary>
[Trait("Phase", AfterSuite)]
public sealed class DeclaredStatusesCheck(SqliteFactory app) : IClassFixture<SqliteFactory>
{
    public const string AfterSuite = "AfterSuite";

    [Fact]
    public async Task EveryStatusAnsweredInTheSuite_IsDeclaredByItsOperation()
    {
        var path = AnsweredStatuses.LogPath;
        Assert.True(path is not null && File.Exists(path) && new FileInfo(path).Length > 0,
            $"No answered statuses recorded (${AnsweredStatuses.EnvironmentVariable}='{path}'). Run the README's test command " +
            "(./test.sh): it runs the suite with the variable set, then this check.");
        var declared = await DeclaredAsync();
        var answered = (await File.ReadAllLinesAsync(path!)).Where(l => l.Length > 0).Select(l => l.Split('\t')).Distinct().ToList();
        var undeclared = answered
            .Where(r => !declared.TryGetValue(r[0], out var statuses) || !statuses.Contains(r[3]))
            .Select(r => $"{r[0]} ({r[1]} {r[2]}) answered {r[3]}")
            .Distinct().Order().ToList();
        Assert.True(undeclared.Count == 0,
            $"{undeclared.Count} answered statuses are not declared in /openapi/v1.json:\n{string.Join('\n', undeclared)}");
    }

    /// <summary>operationId → the statuses its responses declare.</summary>
    private async Task<Dictionary<string, HashSet<string>>> DeclaredAsync()
    {
        var document = await (await app.Client().GetAsync("/openapi/v1.json")).BodyAsync();
        return document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => o.Value!))
            .Where(o => o["operationId"] is not null)
            .ToDictionary(o => o["operationId"]!.GetValue<string>(),
                o => (o["responses"] as JsonObject ?? []).Select(r => r.Key).ToHashSet());
    }
}
