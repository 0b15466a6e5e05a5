using System.Reflection;
using PenguinMails.ApiKeys;

namespace PenguinMails.Tests.Infrastructure;

/// <summary>A client whose key holds every permission the API has, on a new Business tenant: for tests of rules every endpoint shares.</summary>
public static class AllPermissionsClient
{
    private static readonly string[] All = typeof(Permissions).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToArray();

    public static async Task<HttpClient> EveryPermissionClientAsync(this PenguinMailsFactory app)
    {
        var tenant = await app.CreateTenantAsync(Tenancy.Plan.Business);
        return app.Client((await app.CreateKeyAsync(tenant, All)).Key);
    }
}
