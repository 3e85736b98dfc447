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
/// timestamps as UTC ticks) come from the EF model, so both providers stay in step with the migrations. A batch that
/// may already be partly in the table (write-ahead replay, a retry after an ambiguous commit) uses a single-row
/// "INSERT … SELECT … WHERE NOT EXISTS" on request_id instead, which works unchanged on both providers.
/// </summary>
internal sealed class UsageRecordBulkInsert
{
    private const int PostgresRowsPerStatement = 200;

    private readonly string _prefix;
    private readonly string _skipExistingSql;
    private readonly IProperty[] _properties;
    private readonly int _rowsPerStatement;

    private UsageRecordBulkInsert(string prefix, string skipExistingSql, IProperty[] properties, int rowsPerStatement)
    {
        _prefix = prefix;
        _skipExistingSql = skipExistingSql;
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
        var tableName = sql.DelimitIdentifier(table.Name, table.Schema);
        var prefix = $"INSERT INTO {tableName} ({columns}) VALUES ";
        var requestId = Array.FindIndex(properties, p => p.Name == nameof(UsageRecordEntity.RequestId));
        var requestIdColumn = sql.DelimitIdentifier(properties[requestId].GetColumnName(table)!);
        var values = string.Join(", ", properties.Select((_, i) => "@p" + i));
        var skipExisting = $"INSERT INTO {tableName} ({columns}) SELECT {values} WHERE NOT EXISTS (SELECT 1 FROM {tableName} WHERE {requestIdColumn} = @p{requestId})";
        return new UsageRecordBulkInsert(prefix, skipExisting, properties, db.Database.IsSqlite() ? 1 : PostgresRowsPerStatement);
    }

    /// <summary>Inserts <paramref name="rows"/>; with <paramref name="skipExisting"/>, rows whose request id is already stored are left out.</summary>
    public async Task InsertAsync(MoatDbContext db, IReadOnlyList<UsageRecordEntity> rows, bool skipExisting, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (skipExisting)
        {
            await InsertSkippingExistingAsync(connection, transaction, rows, cancellationToken).ConfigureAwait(false);
            return;
        }
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

    private async Task InsertSkippingExistingAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<UsageRecordEntity> rows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = _skipExistingSql;
        for (var i = 0; i < _properties.Length; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i;
            command.Parameters.Add(p);
        }
        for (var row = 0; row < rows.Count; row++)
        {
            Bind(command, rows, row, 1);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
