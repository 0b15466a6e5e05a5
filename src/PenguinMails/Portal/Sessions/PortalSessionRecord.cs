using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace PenguinMails.Portal.Sessions;

/// <summary>
/// One signed-in portal session, kept on the server (<see cref="PortalTicketStore"/>): the cookie carries only the
/// session's key, and this row its authentication ticket. Deleting the row ends the session on its next request, on
/// every node.
/// </summary>
public sealed class PortalSessionRecord
{
    /// <summary>SHA-256 of the key the cookie carries (32 bytes): the database alone cannot be used to take over a session.</summary>
    public required byte[] KeyHash { get; init; }

    public Guid AccountId { get; set; }

    /// <summary>The account's security stamp when the ticket was issued: the session ends once the account's stamp moves on.</summary>
    public required string SecurityStamp { get; set; }

    /// <summary>The ticket (<c>TicketSerializer</c>), protected by Data Protection.</summary>
    public required byte[] Ticket { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When the cookie's ticket expires (sliding: moved on when the cookie is renewed).</summary>
    public DateTime ExpiresAt { get; set; }
}

internal sealed class PortalSessionRecordConfiguration : IEntityTypeConfiguration<PortalSessionRecord>
{
    public void Configure(EntityTypeBuilder<PortalSessionRecord> builder)
    {
        builder.ToTable("portal_sessions");
        builder.HasKey(s => s.KeyHash);
        builder.Property(s => s.KeyHash).HasMaxLength(32);
        builder.Property(s => s.SecurityStamp).HasMaxLength(256);
        builder.HasIndex(s => s.AccountId);
        builder.HasIndex(s => s.ExpiresAt);
        builder.HasOne<Users.Account>().WithMany().HasForeignKey(s => s.AccountId).OnDelete(DeleteBehavior.Cascade);
    }
}
