using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class BouncesDocsKeysRequestLogKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_api_requests",
                table: "api_requests");

            migrationBuilder.DropIndex(
                name: "ix_api_requests_occurred_at",
                table: "api_requests");

            migrationBuilder.DropIndex(
                name: "ix_api_requests_tenant_id_occurred_at_id",
                table: "api_requests");

            migrationBuilder.AddColumn<bool>(
                name: "is_docs_key",
                table: "api_keys",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddPrimaryKey(
                name: "pk_api_requests",
                table: "api_requests",
                columns: new[] { "tenant_id", "occurred_at", "id" });

            migrationBuilder.CreateTable(
                name: "bounce_mail",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: true),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bounce_mail", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "bounce_mailbox_leases",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    owner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    until = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bounce_mailbox_leases", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bounce_mail_at",
                table: "bounce_mail",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_bounce_mail_key",
                table: "bounce_mail",
                column: "key");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bounce_mail");

            migrationBuilder.DropTable(
                name: "bounce_mailbox_leases");

            migrationBuilder.DropPrimaryKey(
                name: "pk_api_requests",
                table: "api_requests");

            migrationBuilder.DropColumn(
                name: "is_docs_key",
                table: "api_keys");

            migrationBuilder.AddPrimaryKey(
                name: "pk_api_requests",
                table: "api_requests",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_api_requests_occurred_at",
                table: "api_requests",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_api_requests_tenant_id_occurred_at_id",
                table: "api_requests",
                columns: new[] { "tenant_id", "occurred_at", "id" });
        }
    }
}
