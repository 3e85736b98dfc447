using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// Inserts a ledger batch as multi-row INSERT statements. EF Core's SaveChanges sends one
/// "INSERT … RETURNING id" per row, which capped the SQLite ledger at ~6k records/s; the ledger never needs the ids.
/// Column names and value converters (SQLite stores timestamps as UTC ticks) come from the EF model, so both
/// providers stay in step with the migrations.
/// </summary>
internal sealed class UsageRecordBulkInsert
{
    // SQLite allows 32,766 parameters per statement; PostgreSQL 65,535.
    private const int MaxParameters = 30_000;

    private readonly string _prefix;
    private readonly IProperty[] _properties;
    private readonly int _rowsPerStatement;

    private UsageRecordBulkInsert(string prefix, IProperty[] properties)
    {
        _prefix = prefix;
        _properties = properties;
        _rowsPerStatement = Math.Max(1, MaxParameters / properties.Length);
    }

    public static UsageRecordBulkInsert For(MoatDbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(UsageRecordEntity))!;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = entityType.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var prefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({columns}) VALUES ";
        return new UsageRecordBulkInsert(prefix, properties);
    }

    public async Task InsertAsync(MoatDbContext db, IReadOnlyList<UsageRecordEntity> rows, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        for (var start = 0; start < rows.Count; start += _rowsPerStatement)
        {
            var count = Math.Min(_rowsPerStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var text = new StringBuilder(_prefix, _prefix.Length + (count * _properties.Length * 8));
            var parameter = 0;
            for (var row = 0; row < count; row++)
            {
                text.Append(row == 0 ? "(" : ", (");
                for (var column = 0; column < _properties.Length; column++)
                {
                    var name = "@p" + parameter++;
                    text.Append(column == 0 ? name : ", " + name);
                    command.Parameters.Add(Parameter(command, name, _properties[column], rows[start + row]));
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, IProperty property, UsageRecordEntity row)
    {
        var value = property.GetGetter().GetClrValue(row);
        if (value is not null && property.GetTypeMapping().Converter is { } converter)
        {
            value = converter.ConvertToProvider(value);
        }
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        return parameter;
    }
}
