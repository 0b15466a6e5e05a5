namespace PenguinMails.Portal;

/// <summary>"just now", "5 minutes ago", "2 hours ago", "5 days ago" — as the spec's tables write times.</summary>
public static class RelativeTime
{
    public static string Describe(DateTime at, DateTime now)
    {
        var ago = now - at;
        return ago.TotalSeconds < 60 ? "just now"
            : ago.TotalMinutes < 60 ? Plural((int)ago.TotalMinutes, "minute")
            : ago.TotalHours < 24 ? Plural((int)ago.TotalHours, "hour")
            : ago.TotalDays < 60 ? Plural((int)ago.TotalDays, "day")
            : Plural((int)(ago.TotalDays / 30), "month");
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit} ago" : $"{n} {unit}s ago";
}
