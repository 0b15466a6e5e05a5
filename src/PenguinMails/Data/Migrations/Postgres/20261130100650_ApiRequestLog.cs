using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ApiRequestLog : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    api_key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authenticated = table.Column<bool>(type: "boolean", nullable: false),
                    environment = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    endpoint = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    error_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    error_message = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    duration_ms = table.Column<double>(type: "double precision", nullable: false),
                    occurred_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    client_ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    user_agent = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    request_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_requests", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "api_usage_rollups",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    grain = table.Column<int>(type: "integer", nullable: false),
                    bucket_start = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    api_key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    authenticated = table.Column<bool>(type: "boolean", nullable: false),
                    endpoint = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    error_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    environment = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    duration_ms_sum = table.Column<double>(type: "double precision", nullable: false),
                    b0 = table.Column<long>(type: "bigint", nullable: false),
                    b1 = table.Column<long>(type: "bigint", nullable: false),
                    b2 = table.Column<long>(type: "bigint", nullable: false),
                    b3 = table.Column<long>(type: "bigint", nullable: false),
                    b4 = table.Column<long>(type: "bigint", nullable: false),
                    b5 = table.Column<long>(type: "bigint", nullable: false),
                    b6 = table.Column<long>(type: "bigint", nullable: false),
                    b7 = table.Column<long>(type: "bigint", nullable: false),
                    b8 = table.Column<long>(type: "bigint", nullable: false),
                    b9 = table.Column<long>(type: "bigint", nullable: false),
                    b10 = table.Column<long>(type: "bigint", nullable: false),
                    b11 = table.Column<long>(type: "bigint", nullable: false),
                    b12 = table.Column<long>(type: "bigint", nullable: false),
                    b13 = table.Column<long>(type: "bigint", nullable: false),
                    b14 = table.Column<long>(type: "bigint", nullable: false),
                    b15 = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_usage_rollups", x => new { x.tenant_id, x.grain, x.bucket_start, x.api_key_id, x.authenticated, x.endpoint, x.status, x.error_code });
                });

            migrationBuilder.CreateIndex(
                name: "ix_api_requests_occurred_at",
                table: "api_requests",
                column: "occurred_at");

            migrationBuilder.CreateIndex(
                name: "ix_api_requests_tenant_id_occurred_at_id",
                table: "api_requests",
                columns: new[] { "tenant_id", "occurred_at", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_api_usage_rollups_grain_bucket_start",
                table: "api_usage_rollups",
                columns: new[] { "grain", "bucket_start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_requests");

            migrationBuilder.DropTable(
                name: "api_usage_rollups");
        }
    }
}
