namespace PenguinMails.Tenancy;

/// <summary>The tenant the current request (or CLI command) acts for. Unset means no tenant rows are visible.</summary>
public sealed class TenantContext
{
    public Guid? TenantId { get; private set; }

    public void Enter(Guid tenantId)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException("A scope cannot switch tenants.");
        }

        TenantId = tenantId;
    }
}
