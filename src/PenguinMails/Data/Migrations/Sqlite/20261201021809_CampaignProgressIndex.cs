using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CampaignProgressIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_email_messages_tenant_id_campaign_id_status",
                table: "email_messages",
                columns: new[] { "tenant_id", "campaign_id", "status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_email_messages_tenant_id_campaign_id_status",
                table: "email_messages");
        }
    }
}
