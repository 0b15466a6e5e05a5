using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class RequestLogKeyedByTenantAndTime : Migration
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

            migrationBuilder.AddPrimaryKey(
                name: "pk_api_requests",
                table: "api_requests",
                columns: new[] { "tenant_id", "occurred_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_api_requests",
                table: "api_requests");

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
