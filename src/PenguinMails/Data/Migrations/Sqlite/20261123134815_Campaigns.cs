using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "campaign_id",
                table: "email_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "contact_id",
                table: "email_messages",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "campaigns",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    tenant_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    subject = table.Column<string>(type: "TEXT", maxLength: 998, nullable: true),
                    from = table.Column<string>(type: "TEXT", maxLength: 998, nullable: false),
                    template_slug = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    variables_json = table.Column<string>(type: "TEXT", nullable: true),
                    html_body = table.Column<string>(type: "TEXT", nullable: true),
                    text_body = table.Column<string>(type: "TEXT", nullable: true),
                    audience_tags = table.Column<string>(type: "TEXT", nullable: false),
                    track_opens = table.Column<bool>(type: "INTEGER", nullable: false),
                    track_clicks = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    scheduled_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    started_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    cancelled_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    is_test = table.Column<bool>(type: "INTEGER", nullable: false),
                    fan_out_cursor = table.Column<Guid>(type: "TEXT", nullable: true),
                    fan_out_complete = table.Column<bool>(type: "INTEGER", nullable: false),
                    recipient_count = table.Column<int>(type: "INTEGER", nullable: false),
                    skipped_count = table.Column<int>(type: "INTEGER", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_campaigns", x => x.id);
                    table.ForeignKey(
                        name: "fk_campaigns_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_campaign_id_contact_id",
                table: "email_messages",
                columns: new[] { "campaign_id", "contact_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_status_scheduled_at",
                table: "campaigns",
                columns: new[] { "status", "scheduled_at" });

            migrationBuilder.CreateIndex(
                name: "ix_campaigns_tenant_id_created_at",
                table: "campaigns",
                columns: new[] { "tenant_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "campaigns");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_campaign_id_contact_id",
                table: "email_messages");

            migrationBuilder.DropColumn(
                name: "campaign_id",
                table: "email_messages");

            migrationBuilder.DropColumn(
                name: "contact_id",
                table: "email_messages");
        }
    }
}
