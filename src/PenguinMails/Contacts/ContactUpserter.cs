using System.Text.Json;
using PenguinMails.Data;
using PenguinMails.Suppressions;

namespace PenguinMails.Contacts;

/// <summary>What became of one upserted row.</summary>
public sealed record UpsertOutcome(int Row, string Email, Contact? Contact, bool Created, IReadOnlyList<string> Errors)
{
    public bool Failed => Errors.Count > 0;
}

/// <summary>
/// Adds or updates contacts by address, a batch at a time in one transaction (new contacts set-based,
/// <see cref="NewContactRows"/>). Safe under concurrency: the unique
/// index on (tenant_id, normalized_email) and the per-key primary keys of attributes and tags turn a race into
/// a constraint violation, and the batch is then read again and re-applied, so one address is never two contacts
/// and concurrent upserts of different attribute keys all survive. Rows of one batch with the same address are
/// applied in order, as if sent one after the other.
/// </summary>
public sealed class ContactUpserter(AppDb db, ContactSuppressions suppressions, TimeProvider time, Webhooks.WebhookOutbox outbox)
{
    private const int MaxAttempts = 8;

    public async Task<List<UpsertOutcome>> UpsertAsync(IReadOnlyList<(int Row, UpsertContactRequest Request)> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var groups = rows.GroupBy(r => ContactRules.Normalize(r.Request.Email!)).ToList();
        var emails = groups.Select(g => g.Key).ToList();
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            // One array parameter (json_each on SQLite, = ANY on PostgreSQL): a thousand scalar parameters cost
            // seconds of query preparation per batch.
            var found = await db.Contacts.Where(c => EF.Parameter(emails).Contains(c.NormalizedEmail)).ToListAsync(ct);
            var existing = (await ContactDetails.LoadAsync(db, found, tracked: true, ct)).ToDictionary(c => c.NormalizedEmail);
            var suppressed = await suppressions.ReasonsAsync(emails, ct);
            var now = time.GetUtcNow().UtcDateTime;
            var changes = new List<StatusChange>();
            var outcomes = groups.SelectMany(g => Apply(existing.GetValueOrDefault(g.Key), g.Key, g.ToList(), now,
                    suppressed.TryGetValue(g.Key, out var reason) ? reason : null, changes))
                .OrderBy(o => o.Row).ToList();
            try
            {
                await NewContactRows.SaveAsync(db, outbox, ct);
                await suppressions.FollowAsync(changes, ct);
                return outcomes;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && DbErrors.IsConflict(e))
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct);
            }
        }
    }

    /// <summary>New contacts after which PostgreSQL's planner statistics are refreshed at once (<see cref="AfterImportAsync"/>).</summary>
    public const int AnalyzeAfterCreated = 10_000;

    /// <summary>
    /// After an import that created at least <see cref="AnalyzeAfterCreated"/> contacts, on PostgreSQL: <c>ANALYZE</c> of
    /// the contact tables. Until autovacuum's next round (a minute or more) the planner would still think them nearly
    /// empty, and a campaign sent right after the import read its audience by a plan fit for a few rows — 100,000
    /// contacts took 72 s to fan out instead of 20 (bench/README.md, issue 16). SQLite plans by its indexes alone.
    /// </summary>
    public async Task AfterImportAsync(int created, CancellationToken ct)
    {
        if (created >= AnalyzeAfterCreated && db is PostgresAppDb)
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE contacts, contact_tags, contact_attributes", ct);
        }
    }

    private List<UpsertOutcome> Apply(Contact? contact, string normalized, List<(int Row, UpsertContactRequest Request)> rows,
        DateTime now, SuppressionReason? suppressed, List<StatusChange> changes)
    {
        var isNew = contact is null;
        var initial = suppressed is { } listed ? ContactStatusSync.StatusFor(listed) : ContactStatus.Subscribed;
        contact ??= new Contact { Email = "", NormalizedEmail = normalized, Status = initial, CreatedAt = now };
        var status = contact.Status;
        var original = isNew ? (ContactStatus?)null : contact.Status;
        var resubscribed = false;
        var merged = new MergedChange();
        var outcomes = new List<UpsertOutcome>();
        foreach (var (row, request) in rows)
        {
            var email = request.Email!.Trim();
            var wanted = ContactRules.ParseStatus(request.Status);
            if (wanted is { } w && ContactStatusRule.Refusal(status, w, request.Force == true, resubscribed ? null : suppressed) is { } refusal)
            {
                outcomes.Add(new UpsertOutcome(row, email, null, Created: false, [refusal]));
                continue;
            }

            resubscribed = wanted == ContactStatus.Subscribed || (resubscribed && wanted is null);
            status = wanted ?? status;
            outcomes.Add(new UpsertOutcome(row, email, contact, Created: isNew && merged.Rows == 0, []));
            merged.Add(ContactRules.CanonicalEmail(email), request);
        }

        if (merged.Rows == 0)
        {
            return outcomes;
        }

        if (isNew)
        {
            db.Contacts.Add(contact);
        }

        contact.Email = merged.Email;
        contact.Status = status;
        contact.UpdatedAt = now;
        ContactChanges.Apply(db, contact, merged.FirstName, merged.LastName, merged.Attributes);
        ContactChanges.AddTags(db, contact, merged.Tags);
        if (status != original && ContactSuppressions.NeedsFollowing(status, suppressed, resubscribed))
        {
            changes.Add(new StatusChange(contact.Email, status));
        }

        return outcomes;
    }

    /// <summary>Several rows for one address folded into one change: later values win, attributes and tags accumulate.</summary>
    private sealed class MergedChange
    {
        public int Rows { get; private set; }
        public string Email { get; private set; } = "";
        public string? FirstName { get; private set; }
        public string? LastName { get; private set; }
        public Dictionary<string, JsonElement> Attributes { get; } = new(StringComparer.Ordinal);
        public List<string> Tags { get; } = [];

        public void Add(string email, UpsertContactRequest request)
        {
            Rows++;
            Email = email;
            FirstName = request.FirstName ?? FirstName;
            LastName = request.LastName ?? LastName;
            foreach (var (key, value) in request.Attributes ?? [])
            {
                Attributes[key] = value;
            }

            Tags.AddRange(request.Tags ?? []);
        }
    }
}
