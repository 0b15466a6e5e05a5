using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Webhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    endpoint_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    lease_token = table.Column<Guid>(type: "TEXT", nullable: true),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    latency_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    response_excerpt = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: true),
                    error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    completed_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_endpoints",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    url = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    events = table.Column<string>(type: "TEXT", nullable: false),
                    environment = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    disabled_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    protected_headers = table.Column<string>(type: "TEXT", nullable: true),
                    protected_secret = table.Column<string>(type: "TEXT", nullable: false),
                    protected_previous_secret = table.Column<string>(type: "TEXT", nullable: true),
                    previous_secret_until = table.Column<DateTime>(type: "TEXT", nullable: true),
                    failing_since = table.Column<DateTime>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_endpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    environment = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_event_id",
                table: "webhook_deliveries",
                column: "event_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_lease_token",
                table: "webhook_deliveries",
                column: "lease_token");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_status_next_attempt_at",
                table: "webhook_deliveries",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_tenant_id_endpoint_id_created_at_id",
                table: "webhook_deliveries",
                columns: new[] { "tenant_id", "endpoint_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_endpoints_tenant_id_created_at_id",
                table: "webhook_endpoints",
                columns: new[] { "tenant_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_endpoints_updated_at",
                table: "webhook_endpoints",
                column: "updated_at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_created_at",
                table: "webhook_events",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_tenant_id_email",
                table: "webhook_events",
                columns: new[] { "tenant_id", "email" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_endpoints");

            migrationBuilder.DropTable(
                name: "webhook_events");
        }
    }
}
