using System.Globalization;
using CsvHelper;
using PenguinMails.Data;
using PenguinMails.Suppressions;

namespace PenguinMails.Portal.Activity;

/// <summary>What the suppression pages share: the reasons as people read them, pasted lists, and the CSV export.</summary>
public static class SuppressionPages
{
    /// <summary>The <see cref="Suppression.Source"/> of entries added in the portal (the API's are <c>api</c>).</summary>
    public const string PortalSource = "portal";

    public const int MaxPasted = AddSuppressionsRequest.MaxBatch;

    public static readonly IReadOnlyList<(string Value, SuppressionReason Reason, string Label)> Reasons =
    [
        ("hard_bounce", SuppressionReason.HardBounce, "Hard bounce"), ("complaint", SuppressionReason.Complaint, "Complaint"),
        ("unsubscribe", SuppressionReason.Unsubscribe, "Unsubscribe"), ("manual", SuppressionReason.Manual, "Manual"),
    ];

    public static string Value(SuppressionReason reason) => Reasons.First(r => r.Reason == reason).Value;

    public static string Label(SuppressionReason reason) => Reasons.First(r => r.Reason == reason).Label;

    /// <summary>Why an entry is there, as the removal confirmation says it.</summary>
    public static string Why(Suppression s) => s.Reason switch
    {
        SuppressionReason.HardBounce => "a message to it hard-bounced: the receiving server said the mailbox does not exist or cannot take mail",
        SuppressionReason.Complaint => "its recipient marked a message as spam",
        SuppressionReason.Unsubscribe => "its recipient unsubscribed",
        _ => s.Source == PortalSource ? "it was added by hand in the portal" : s.Source == "api" ? "it was added through the API" : "it was added by hand",
    };

    /// <summary>Only a bounce or a complaint needs the explicit confirmation (the API's <c>force</c> for contacts).</summary>
    public static bool NeedsConfirmation(SuppressionReason reason) => reason is SuppressionReason.HardBounce or SuppressionReason.Complaint;

    /// <summary>Pasted text split on line breaks, commas and semicolons: normalized addresses (once each, in order) and the entries that are not addresses.</summary>
    public static (List<string> Valid, List<string> Invalid) Parse(string? pasted)
    {
        var valid = new List<string>();
        var invalid = new List<string>();
        foreach (var entry in (pasted ?? "").Split(['\r', '\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (SuppressionAddress.TryNormalize(entry, out var address))
            {
                if (!valid.Contains(address, StringComparer.Ordinal))
                {
                    valid.Add(address);
                }
            }
            else
            {
                invalid.Add(TextClip.Shortened(entry, 80));
            }
        }

        return (valid, invalid);
    }

    /// <summary>
    /// The list (filtered as the page is) as CSV — email, reason, source, note, created_at (RFC 3339 UTC) — newest first,
    /// read a page at a time. Text cells that a spreadsheet would run as a formula (= + - @, tab, CR first) get a leading
    /// apostrophe: notes and sources come from outside.
    /// </summary>
    public static async Task WriteCsvAsync(Stream body, AppDb db, SuppressionListQuery filter, SuppressionReason? reason, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, CsvWriterOptions.Default with { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(["email", "reason", "source", "note", "created_at"]);
        var query = filter with { Limit = 1000, Cursor = null };
        Http.Cursor? after = null;
        while (true)
        {
            var (page, hasMore) = await query.RunAsync(db, after, reason, ct);
            foreach (var s in page)
            {
                csv.WriteField(s.Email);
                csv.WriteField(Value(s.Reason));
                csv.WriteField(s.Source ?? "");
                csv.WriteField(s.Note ?? "");
                csv.WriteField(s.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                await csv.EndRecordAsync(ct);
            }

            await csv.FlushAsync(ct);
            if (!hasMore)
            {
                break;
            }

            after = new Http.Cursor(page[^1].CreatedAt.Ticks.ToString(CultureInfo.InvariantCulture), page[^1].Id);
        }
    }
}
