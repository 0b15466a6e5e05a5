using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Alerts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "occurrences",
                table: "security_events",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.CreateTable(
                name: "alert_occurrences",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    subject = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    period = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    covered_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    recipients = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_alert_occurrences", x => x.id);
                    table.ForeignKey(
                        name: "fk_alert_occurrences_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "tenant_alert_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    value = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tenant_alert_settings", x => new { x.tenant_id, x.name });
                    table.ForeignKey(
                        name: "fk_tenant_alert_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_security_events_type_occurred_at",
                table: "security_events",
                columns: new[] { "type", "occurred_at" });

            migrationBuilder.CreateIndex(
                name: "ix_rate_limit_usage_minute_start",
                table: "rate_limit_usage",
                column: "minute_start");

            migrationBuilder.CreateIndex(
                name: "ix_alert_occurrences_tenant_id_kind_subject_period",
                table: "alert_occurrences",
                columns: new[] { "tenant_id", "kind", "subject", "period" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "alert_occurrences");

            migrationBuilder.DropTable(
                name: "tenant_alert_settings");

            migrationBuilder.DropIndex(
                name: "ix_security_events_type_occurred_at",
                table: "security_events");

            migrationBuilder.DropIndex(
                name: "ix_rate_limit_usage_minute_start",
                table: "rate_limit_usage");

            migrationBuilder.DropColumn(
                name: "occurrences",
                table: "security_events");
        }
    }
}
