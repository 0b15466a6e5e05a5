using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TrackingLinksAndLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "tracking_windows",
                columns: table => new
                {
                    message_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    link = table.Column<int>(type: "integer", nullable: false),
                    client = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    window_number = table.Column<long>(type: "bigint", nullable: false),
                    hits = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tracking_windows", x => new { x.message_id, x.type, x.link, x.client, x.window_number });
                    table.ForeignKey(
                        name: "fk_tracking_windows_email_messages_message_id",
                        column: x => x.message_id,
                        principalTable: "email_messages",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "tracking_windows");
        }
    }
}
