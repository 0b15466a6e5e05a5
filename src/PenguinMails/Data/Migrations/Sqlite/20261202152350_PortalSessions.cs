using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PortalSessions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "portal_sessions",
                columns: table => new
                {
                    key_hash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    account_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    security_stamp = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    ticket = table.Column<byte[]>(type: "BLOB", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_portal_sessions", x => x.key_hash);
                    table.ForeignKey(
                        name: "fk_portal_sessions_accounts_account_id",
                        column: x => x.account_id,
                        principalTable: "accounts",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_portal_sessions_account_id",
                table: "portal_sessions",
                column: "account_id");

            migrationBuilder.CreateIndex(
                name: "ix_portal_sessions_expires_at",
                table: "portal_sessions",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "portal_sessions");
        }
    }
}
