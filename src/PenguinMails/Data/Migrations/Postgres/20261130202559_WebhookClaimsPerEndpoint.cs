using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class WebhookClaimsPerEndpoint : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_status_endpoint_id_next_attempt_at",
                table: "webhook_deliveries",
                columns: new[] { "status", "endpoint_id", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_webhook_deliveries_status_endpoint_id_next_attempt_at",
                table: "webhook_deliveries");
        }
    }
}
