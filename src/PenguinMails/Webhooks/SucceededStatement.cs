using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using PenguinMails.Data;

namespace PenguinMails.Webhooks;

/// <summary>
/// Records a group of successful attempts in one statement instead of one per delivery (issue 12's delivery rate):
/// <c>UPDATE webhook_deliveries SET status = 'Succeeded', attempts = attempts + 1, status_code = CASE id WHEN … END, …
/// WHERE id IN (…) AND lease_token = CASE id WHEN … END</c> — each row only while this node's lease token still holds,
/// as the single-row update did. The same SQL on SQLite and PostgreSQL; values are bound through the model's own type
/// mappings, so ids and times are stored exactly as EF stores them.
/// </summary>
internal static class SucceededStatement
{
    /// <summary>Five parameters a row: about 64 a statement, where Microsoft.Data.Sqlite's by-name binding stays cheap (see BulkInsert).</summary>
    public const int RowsPerStatement = 12;

    public static DbCommand Create(AppDb db, DbTransaction transaction, DateTime now, IReadOnlyList<(Guid Id, Guid Token, WebhookAttempt Attempt)> rows)
    {
        var entity = db.Model.FindEntityType(typeof(WebhookDelivery))!;
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        string Column(string property) => Quoted(entity.FindProperty(property)!.GetColumnName(store)!);
        string Bind(string property, string name, object? value)
        {
            var mapping = (RelationalTypeMapping)entity.FindProperty(property)!.GetTypeMapping();
            var provider = value is null ? null : mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
            var parameter = mapping.CreateParameter(command, name, null, nullable: true);
            parameter.Value = provider ?? DBNull.Value;
            command.Parameters.Add(parameter);
            return name;
        }

        string ById(Func<int, string> valueName) => $"CASE {Column(nameof(WebhookDelivery.Id))} "
            + string.Concat(Enumerable.Range(0, rows.Count).Select(r => $"WHEN @i{r} THEN {valueName(r)} ")) + "END";
        string Case(string property, Func<int, string> valueName) => $"{Column(property)} = {ById(valueName)}";

        for (var r = 0; r < rows.Count; r++)
        {
            var (id, token, attempt) = rows[r];
            Bind(nameof(WebhookDelivery.Id), $"@i{r}", id);
            Bind(nameof(WebhookDelivery.LeaseToken), $"@t{r}", token);
            Bind(nameof(WebhookDelivery.StatusCode), $"@s{r}", attempt.StatusCode);
            Bind(nameof(WebhookDelivery.LatencyMs), $"@l{r}", attempt.LatencyMs);
            Bind(nameof(WebhookDelivery.ResponseExcerpt), $"@e{r}", attempt.Excerpt);
        }

        var sql = new StringBuilder($"UPDATE {Quoted(entity.GetTableName()!)} SET ")
            .Append($"{Column(nameof(WebhookDelivery.Attempts))} = {Column(nameof(WebhookDelivery.Attempts))} + 1, ")
            .Append($"{Column(nameof(WebhookDelivery.Status))} = {Bind(nameof(WebhookDelivery.Status), "@status", WebhookDeliveryStatus.Succeeded)}, ")
            .Append($"{Column(nameof(WebhookDelivery.LastAttemptAt))} = {Bind(nameof(WebhookDelivery.LastAttemptAt), "@now", now)}, ")
            .Append($"{Column(nameof(WebhookDelivery.CompletedAt))} = @now, ")
            .Append($"{Column(nameof(WebhookDelivery.Error))} = NULL, ")
            .Append($"{Column(nameof(WebhookDelivery.LeaseToken))} = NULL, {Column(nameof(WebhookDelivery.LeaseUntil))} = NULL, ")
            .Append(Case(nameof(WebhookDelivery.StatusCode), r => $"@s{r}")).Append(", ")
            .Append(Case(nameof(WebhookDelivery.LatencyMs), r => $"@l{r}")).Append(", ")
            .Append(Case(nameof(WebhookDelivery.ResponseExcerpt), r => $"@e{r}"))
            .Append($" WHERE {Column(nameof(WebhookDelivery.Id))} IN (")
            .AppendJoin(", ", Enumerable.Range(0, rows.Count).Select(r => $"@i{r}"))
            .Append($") AND {Column(nameof(WebhookDelivery.LeaseToken))} = ").Append(ById(r => $"@t{r}"));
        command.CommandText = sql.ToString();
        return command;
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
