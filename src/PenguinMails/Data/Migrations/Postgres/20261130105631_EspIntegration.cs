using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EspIntegration : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "esp_message_id",
                table: "email_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "esp_receipts",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    at_unix = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_esp_receipts", x => new { x.tenant_id, x.key });
                    table.ForeignKey(
                        name: "fk_esp_receipts_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "esp_settings",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    transport = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    inbound_token = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    postmark_server_token = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    postmark_server_token_last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    postmark_message_stream = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    postmark_webhook_user = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    postmark_webhook_password = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    mailgun_api_key = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    mailgun_api_key_last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    mailgun_domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: true),
                    mailgun_region = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    mailgun_signing_key = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    mailgun_signing_key_last4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_esp_settings", x => x.tenant_id);
                    table.ForeignKey(
                        name: "fk_esp_settings_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_tenant_id_esp_message_id",
                table: "email_messages",
                columns: new[] { "tenant_id", "esp_message_id" });

            migrationBuilder.CreateIndex(
                name: "ix_esp_receipts_at_unix",
                table: "esp_receipts",
                column: "at_unix");

            migrationBuilder.CreateIndex(
                name: "ix_esp_settings_inbound_token",
                table: "esp_settings",
                column: "inbound_token",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "esp_receipts");

            migrationBuilder.DropTable(
                name: "esp_settings");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_tenant_id_esp_message_id",
                table: "email_messages");

            migrationBuilder.DropColumn(
                name: "esp_message_id",
                table: "email_messages");
        }
    }
}
