using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SendingDomainsWebhooksEspAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attachment_count",
                table: "email_messages",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "domain_hold",
                table: "email_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "esp_message_id",
                table: "email_messages",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "email_attachments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    index = table.Column<int>(type: "integer", nullable: false),
                    filename = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_type = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    content_id = table.Column<string>(type: "character varying(250)", maxLength: 250, nullable: true),
                    size = table.Column<long>(type: "bigint", nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: true),
                    content_deleted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_email_attachments", x => x.id);
                    table.ForeignKey(
                        name: "fk_email_attachments_email_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "email_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

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

            migrationBuilder.CreateTable(
                name: "sending_domains",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    operator_managed = table.Column<bool>(type: "boolean", nullable: false),
                    dkim_selector = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    dkim_public_key = table.Column<string>(type: "text", nullable: false),
                    dkim_private_key = table.Column<string>(type: "text", nullable: false),
                    pending_selector = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: true),
                    pending_public_key = table.Column<string>(type: "text", nullable: true),
                    pending_private_key = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    verified_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_checked_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    failed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    absent_since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_check_json = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_sending_domains", x => x.id);
                    table.ForeignKey(
                        name: "fk_sending_domains_tenants_tenant_id",
                        column: x => x.tenant_id,
                        principalTable: "tenants",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    endpoint_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    lease_token = table.Column<Guid>(type: "uuid", nullable: true),
                    lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    latency_ms = table.Column<int>(type: "integer", nullable: true),
                    response_excerpt = table.Column<string>(type: "character varying(1024)", maxLength: 1024, nullable: true),
                    error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    completed_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_endpoints",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: false),
                    description = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    events = table.Column<List<string>>(type: "text[]", nullable: false),
                    environment = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    disabled_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    protected_headers = table.Column<string>(type: "text", nullable: true),
                    protected_secret = table.Column<string>(type: "text", nullable: false),
                    protected_previous_secret = table.Column<string>(type: "text", nullable: true),
                    previous_secret_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    failing_since = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    deleted_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_endpoints", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_events",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    environment = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    payload = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_events", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_email_messages_tenant_id_esp_message_id",
                table: "email_messages",
                columns: new[] { "tenant_id", "esp_message_id" });

            migrationBuilder.CreateIndex(
                name: "ix_email_attachments_message_id_index",
                table: "email_attachments",
                columns: new[] { "message_id", "index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_esp_receipts_at_unix",
                table: "esp_receipts",
                column: "at_unix");

            migrationBuilder.CreateIndex(
                name: "ix_esp_settings_inbound_token",
                table: "esp_settings",
                column: "inbound_token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_sending_domains_name",
                table: "sending_domains",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "ix_sending_domains_status_last_checked_at",
                table: "sending_domains",
                columns: new[] { "status", "last_checked_at" });

            migrationBuilder.CreateIndex(
                name: "ix_sending_domains_tenant_id_name",
                table: "sending_domains",
                columns: new[] { "tenant_id", "name" },
                unique: true);

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
                name: "email_attachments");

            migrationBuilder.DropTable(
                name: "esp_receipts");

            migrationBuilder.DropTable(
                name: "esp_settings");

            migrationBuilder.DropTable(
                name: "sending_domains");

            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_endpoints");

            migrationBuilder.DropTable(
                name: "webhook_events");

            migrationBuilder.DropIndex(
                name: "ix_email_messages_tenant_id_esp_message_id",
                table: "email_messages");

            migrationBuilder.DropColumn(
                name: "attachment_count",
                table: "email_messages");

            migrationBuilder.DropColumn(
                name: "domain_hold",
                table: "email_messages");

            migrationBuilder.DropColumn(
                name: "esp_message_id",
                table: "email_messages");
        }
    }
}
