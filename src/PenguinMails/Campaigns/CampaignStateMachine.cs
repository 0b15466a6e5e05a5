using PenguinMails.Http;

namespace PenguinMails.Campaigns;

/// <summary>What a caller may do to a campaign in each status (README "Campaigns" has the table).</summary>
public static class CampaignStateMachine
{
    public const string Edit = "edit";
    public const string Delete = "delete";
    public const string Send = "send";
    public const string Schedule = "schedule";
    public const string Pause = "pause";
    public const string Resume = "resume";
    public const string Cancel = "cancel";

    private static readonly Dictionary<CampaignStatus, string[]> Allowed = new()
    {
        [CampaignStatus.Draft] = [Edit, Send, Schedule, Cancel, Delete],
        [CampaignStatus.Scheduled] = [Edit, Send, Schedule, Cancel],
        [CampaignStatus.Sending] = [Pause, Cancel],
        [CampaignStatus.Paused] = [Resume, Cancel],
        [CampaignStatus.Sent] = [Delete],
        [CampaignStatus.Cancelled] = [Delete],
    };

    public static IReadOnlyList<string> ActionsFor(CampaignStatus status) => Allowed[status];

    public static bool Permits(CampaignStatus status, string action) => Allowed[status].Contains(action);

    /// <summary>The statuses from which <paramref name="action"/> is allowed: the guard of a conditional update.</summary>
    public static CampaignStatus[] From(string action) => [.. Allowed.Where(p => p.Value.Contains(action)).Select(p => p.Key)];

    public static string Name(CampaignStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>409 RESOURCE_CONFLICT naming the current status and what is allowed in it.</summary>
    public static ApiError Refusal(CampaignStatus status, string action) =>
        new(ErrorCodes.ResourceConflict, $"A {Name(status)} campaign cannot {Verb(action)}.",
        [
            new ErrorDetail("status", $"The campaign is {Name(status)}; allowed: {string.Join(", ", ActionsFor(status))}.")
            {
                Status = Name(status), AllowedActions = ActionsFor(status),
            },
        ]);

    private static string Verb(string action) => action switch
    {
        Edit => "be edited",
        Delete => "be deleted",
        Send => "be sent",
        Schedule => "be scheduled",
        Pause => "be paused",
        Resume => "be resumed",
        _ => "be cancelled",
    };
}
