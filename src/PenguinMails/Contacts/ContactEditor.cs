using PenguinMails.Data;
using PenguinMails.Http;
using PenguinMails.Suppressions;

namespace PenguinMails.Contacts;

/// <summary>PATCH /contacts/{id}: the same merge rules as the upsert, plus a new address and whole-set tag changes.</summary>
public sealed class ContactEditor(AppDb db, ContactSuppressions suppressions, TimeProvider time)
{
    public static async Task<Contact?> FindAsync(AppDb db, Guid id, bool tracked, CancellationToken ct)
    {
        var contacts = tracked ? db.Contacts : db.Contacts.AsNoTracking();
        var found = await contacts.Where(c => c.Id == id).ToListAsync(ct);
        return (await ContactDetails.LoadAsync(db, found, tracked, ct)).FirstOrDefault();
    }

    public async Task<(Contact? Contact, ApiError? Error)> UpdateAsync(Guid id, UpdateContactRequest request, CancellationToken ct)
    {
        var contact = await FindAsync(db, id, tracked: true, ct);
        if (contact is null)
        {
            return (null, ApiError.NotFound("Contact"));
        }

        var suppressed = (await suppressions.ReasonsAsync([contact.NormalizedEmail], ct)).Values.Cast<SuppressionReason?>().FirstOrDefault();
        var wanted = ContactRules.ParseStatus(request.Status);
        if (wanted is { } status)
        {
            if (ContactStatusRule.Refusal(contact.Status, status, request.Force == true, suppressed) is { } refusal)
            {
                return (null, ApiError.Conflict(refusal));
            }

            contact.Status = status;
        }

        if (request.Email is { } email)
        {
            contact.Email = ContactRules.CanonicalEmail(email);
            contact.NormalizedEmail = ContactRules.Normalize(email);
        }

        ContactChanges.Apply(db, contact, request.FirstName, request.LastName, request.Attributes);
        ContactChanges.ChangeTags(db, contact, request.Tags, request.AddTags, request.RemoveTags);
        contact.UpdatedAt = time.GetUtcNow().UtcDateTime;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e) && request.Email is not null)
        {
            return (null, ApiError.Conflict("Another contact already has this email address."));
        }

        if (wanted is not null && ContactSuppressions.NeedsFollowing(contact.Status, suppressed, wanted == ContactStatus.Subscribed))
        {
            await suppressions.FollowAsync([new StatusChange(contact.Email, contact.Status)], ct);
        }

        return (contact, null);
    }
}
