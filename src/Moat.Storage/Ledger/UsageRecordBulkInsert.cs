using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Moat.Storage.Entities;

namespace Moat.Storage;

/// <summary>
/// Writes a ledger batch with prepared INSERT statements. EF Core's SaveChanges sends one "INSERT … RETURNING id" per
/// row and capped the SQLite ledger at ~3–6k records/s; the ledger never needs the ids. The statement shape differs
/// per provider: SQLite binds parameters by a linear name lookup, so wide multi-row statements are quadratic there
/// and one prepared single-row statement reused for every row is fastest (~100k rows/s measured); PostgreSQL pays a
/// round trip per statement, so it gets multi-row statements. Column names and value converters (SQLite stores
/// timestamps as UTC ticks) come from the EF model, so both providers stay in step with the migrations.
/// </summary>
internal sealed class UsageRecordBulkInsert
{
    private const int PostgresRowsPerStatement = 200;

    private readonly string _prefix;
    private readonly IProperty[] _properties;
    private readonly int _rowsPerStatement;

    private UsageRecordBulkInsert(string prefix, IProperty[] properties, int rowsPerStatement)
    {
        _prefix = prefix;
        _properties = properties;
        _rowsPerStatement = rowsPerStatement;
    }

    public static UsageRecordBulkInsert For(MoatDbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(UsageRecordEntity))!;
        var table = StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = entityType.GetProperties().Where(p => !p.IsPrimaryKey()).ToArray();
        var columns = string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)));
        var prefix = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({columns}) VALUES ";
        return new UsageRecordBulkInsert(prefix, properties, db.Database.IsSqlite() ? 1 : PostgresRowsPerStatement);
    }

    public async Task InsertAsync(MoatDbContext db, IReadOnlyList<UsageRecordEntity> rows, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        DbCommand? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += _rowsPerStatement)
            {
                var count = Math.Min(_rowsPerStatement, rows.Count - start);
                DbCommand command;
                if (count == _rowsPerStatement)
                {
                    command = full ??= await CreateAsync(connection, transaction, count, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    command = await CreateAsync(connection, transaction, count, cancellationToken).ConfigureAwait(false);
                }
                try
                {
                    Bind(command, rows, start, count);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (!ReferenceEquals(command, full))
                    {
                        await command.DisposeAsync().ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<DbCommand> CreateAsync(DbConnection connection, DbTransaction? transaction, int rows, CancellationToken cancellationToken)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var text = new StringBuilder(_prefix, _prefix.Length + (rows * _properties.Length * 8));
        var parameter = 0;
        for (var row = 0; row < rows; row++)
        {
            text.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < _properties.Length; column++)
            {
                var name = "@p" + parameter++;
                text.Append(column == 0 ? name : ", " + name);
                var p = command.CreateParameter();
                p.ParameterName = name;
                command.Parameters.Add(p);
            }
            text.Append(')');
        }
        command.CommandText = text.ToString();
        if (_rowsPerStatement == 1)
        {
            // SQLite: compile once, rebind per row. (Npgsql would need parameter types before values to prepare.)
            await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        }
        return command;
    }

    private void Bind(DbCommand command, IReadOnlyList<UsageRecordEntity> rows, int start, int count)
    {
        var parameter = 0;
        for (var row = 0; row < count; row++)
        {
            var entity = rows[start + row];
            foreach (var property in _properties)
            {
                var value = property.GetGetter().GetClrValue(entity);
                if (value is not null && property.GetTypeMapping().Converter is { } converter)
                {
                    value = converter.ConvertToProvider(value);
                }
                command.Parameters[parameter++].Value = value ?? DBNull.Value;
            }
        }
    }
}
