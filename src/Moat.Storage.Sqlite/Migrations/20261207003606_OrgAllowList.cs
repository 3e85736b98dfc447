using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moat.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OrgAllowList : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "org_allow_list",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    case_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "TEXT", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_org_allow_list", x => x.org_id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_org_allow_list_expires_at",
                table: "org_allow_list",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "org_allow_list");
        }
    }
}
