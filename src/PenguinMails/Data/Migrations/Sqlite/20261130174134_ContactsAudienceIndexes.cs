using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PenguinMails.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ContactsAudienceIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_contacts_tenant_id_status",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contact_tags_tenant_id_tag",
                table: "contact_tags");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_status_id",
                table: "contacts",
                columns: new[] { "tenant_id", "status", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_contact_tags_tenant_id_tag_contact_id",
                table: "contact_tags",
                columns: new[] { "tenant_id", "tag", "contact_id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_contacts_tenant_id_status_id",
                table: "contacts");

            migrationBuilder.DropIndex(
                name: "ix_contact_tags_tenant_id_tag_contact_id",
                table: "contact_tags");

            migrationBuilder.CreateIndex(
                name: "ix_contacts_tenant_id_status",
                table: "contacts",
                columns: new[] { "tenant_id", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_contact_tags_tenant_id_tag",
                table: "contact_tags",
                columns: new[] { "tenant_id", "tag" });
        }
    }
}
