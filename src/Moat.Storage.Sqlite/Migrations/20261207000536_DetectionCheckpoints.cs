using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moat.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class DetectionCheckpoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "detection_checkpoints",
                columns: table => new
                {
                    org_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    saved_at = table.Column<long>(type: "INTEGER", nullable: false),
                    policy_steps = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    suppressed_steps = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    score = table.Column<double>(type: "REAL", nullable: false),
                    peak_score = table.Column<double>(type: "REAL", nullable: false),
                    evidence = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_detection_checkpoints", x => x.org_id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "detection_checkpoints");
        }
    }
}
