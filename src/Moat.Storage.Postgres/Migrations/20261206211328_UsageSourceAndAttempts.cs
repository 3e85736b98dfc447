using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Moat.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class UsageSourceAndAttempts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                table: "usage_records",
                type: "integer",
                nullable: false,
                // Rows written before this column each stood for one attempt (hand-edited; the model has no default).
                defaultValue: 1);

            migrationBuilder.AddColumn<string>(
                name: "usage_source",
                table: "usage_records",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "attempts",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "usage_source",
                table: "usage_records");
        }
    }
}
