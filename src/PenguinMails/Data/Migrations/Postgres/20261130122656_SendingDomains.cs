using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SendingDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "domain_hold",
                table: "email_messages",
                type: "boolean",
                nullable: false,
                defaultValue: false);

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "sending_domains");

            migrationBuilder.DropColumn(
                name: "domain_hold",
                table: "email_messages");
        }
    }
}
