using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class IdempotencyKeyEnvironment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_idempotency_records",
                table: "idempotency_records");

            // Keys kept before this column count as live: one made with a test key could at worst still replay its
            // simulated answer to a live request for the rest of its 24 hours, whereas counting a live one as test
            // would run a live retry twice.
            migrationBuilder.AddColumn<string>(
                name: "environment",
                table: "idempotency_records",
                type: "TEXT",
                maxLength: 10,
                nullable: false,
                defaultValue: "Live");

            migrationBuilder.AddPrimaryKey(
                name: "pk_idempotency_records",
                table: "idempotency_records",
                columns: new[] { "tenant_id", "environment", "key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // One record per tenant and key again: the test ones go.
            migrationBuilder.Sql("DELETE FROM idempotency_records WHERE environment = 'Test';");

            migrationBuilder.DropPrimaryKey(
                name: "pk_idempotency_records",
                table: "idempotency_records");

            migrationBuilder.DropColumn(
                name: "environment",
                table: "idempotency_records");

            migrationBuilder.AddPrimaryKey(
                name: "pk_idempotency_records",
                table: "idempotency_records",
                columns: new[] { "tenant_id", "key" });
        }
    }
}
