using System.Text.Json;

namespace PenguinMails.Data;

/// <summary>snake_case column names on both providers, so SQL reads the same as the JSON on the wire.</summary>
internal static class SnakeCaseNames
{
    public static void Apply(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name));
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(JsonNamingPolicy.SnakeCaseLower.ConvertName(key.GetName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(JsonNamingPolicy.SnakeCaseLower.ConvertName(index.GetDatabaseName()!));
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                foreignKey.SetConstraintName(JsonNamingPolicy.SnakeCaseLower.ConvertName(foreignKey.GetConstraintName()!));
            }
        }
    }
}
