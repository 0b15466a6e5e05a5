namespace PenguinMails.Tenancy;

/// <summary>
/// A row that belongs to one tenant. AppDb filters every query on such rows by the current tenant
/// and refuses to save one that belongs to another: isolation is not left to each handler.
/// </summary>
public interface ITenantOwned
{
    Guid TenantId { get; set; }
}
