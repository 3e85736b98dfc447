using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Moat.Core.Access;
using Moat.Storage.Entities;
using Npgsql;

namespace Moat.Storage.Tests.Infrastructure;

/// <summary>
/// A fresh, migrated database of one provider with Moat's storage services around it. Build with
/// <see cref="For"/>, adjust with the With* methods, then <see cref="StartAsync"/>.
/// </summary>
public sealed class StorageHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Epoch = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly StorageProvider _provider;
    private readonly Dictionary<string, string?> _settings = new();
    private TimeProvider _time = new FakeTimeProvider(Epoch);
    private string _sqliteSuffix = "";
    private bool _startHostedServices = true;

    private ServiceProvider? _services;
    private List<IHostedService> _started = [];
    private string? _tempDir;
    private string? _databaseName;
    private bool _ownsDatabase = true;

    private StorageHarness(StorageProvider provider) => _provider = provider;

    public static StorageHarness For(StorageProvider provider) => new(provider);

    public StorageProvider Provider => _provider;
    public string ConnectionString { get; private set; } = "";
    public IServiceProvider Services => _services ?? throw new InvalidOperationException("Call StartAsync first.");
    public TimeProvider Time => _time;
    public FakeTimeProvider Clock => _time as FakeTimeProvider ?? throw new InvalidOperationException("This harness runs on the system clock.");

    public OrganizationStore Organizations => Services.GetRequiredService<OrganizationStore>();
    public ApiKeyStore Keys => Services.GetRequiredService<ApiKeyStore>();
    public UsageStore Usage => Services.GetRequiredService<UsageStore>();
    public AuditLog Audit => Services.GetRequiredService<AuditLog>();
    public AdminTokenStore AdminTokens => Services.GetRequiredService<AdminTokenStore>();
    public IKeyDirectory Directory => Services.GetRequiredService<IKeyDirectory>();
    public ChannelLedgerWriter Ledger => Services.GetRequiredService<ChannelLedgerWriter>();

    /// <summary>Applies an enforcement action the way the control plane does: audited in one transaction, published after.</summary>
    public async Task<OrgTransition> TransitionAsync(string orgId, OrgAction action)
    {
        var transition = await Audit.WriteAsync(async (write, ct) =>
        {
            var result = await Organizations.TransitionAsync(write, orgId, action, ct);
            if (result.Outcome == OrgTransitionOutcome.Applied)
            {
                write.Append("test", "org." + action.ToWire(), orgId, new { from = result.From!.Value.ToWire(), to = result.Organization!.State.ToWire() });
            }
            return result;
        });
        await Organizations.PublishAsync(orgId, "state");
        return transition;
    }

    /// <summary>Revokes a key in an audited transaction, then publishes.</summary>
    public async Task<ApiKeyEntity?> RevokeKeyAsync(string orgId, string keyId)
    {
        var key = await Audit.WriteAsync(async (write, ct) =>
        {
            var revoked = await Keys.RevokeAsync(write, orgId, keyId, ct);
            write.Append("test", "key.revoke", orgId, new { key_id = keyId });
            return revoked;
        });
        await Keys.PublishAsync(orgId, "key_revoked");
        return key;
    }

    /// <summary>Rotates a key in an audited transaction, then publishes.</summary>
    public async Task<CreatedApiKey?> RotateKeyAsync(string orgId, string keyId, TimeSpan grace)
    {
        var created = await Audit.WriteAsync(async (write, ct) =>
        {
            var rotated = await Keys.RotateAsync(write, orgId, keyId, grace, ct);
            write.Append("test", "key.rotate", orgId, new { key_id = keyId });
            return rotated;
        });
        await Keys.PublishAsync(orgId, "key_rotated");
        return created;
    }

    public StorageHarness WithSystemClock()
    {
        _time = TimeProvider.System;
        return this;
    }

    public StorageHarness WithSetting(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    public StorageHarness WithLedger(int capacity = 100_000, int batchSize = 500, int flushIntervalMs = 100) =>
        WithSetting("Moat:Storage:LedgerCapacity", capacity.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Moat:Storage:LedgerBatchSize", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithSetting("Moat:Storage:LedgerFlushIntervalMs", flushIntervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public StorageHarness WithDurability(LedgerDurability durability) =>
        WithSetting("Moat:Ledger:Durability", durability.ToString());

    /// <summary>The directory for local files (the SQLite database, the ledger's write-ahead log).</summary>
    public string DataDir => _tempDir ?? throw new InvalidOperationException("Call StartAsync first.");

    /// <summary>Appended to the SQLite connection string (e.g. a short busy timeout).</summary>
    public StorageHarness WithSqliteConnectionSuffix(string suffix)
    {
        _sqliteSuffix = suffix;
        return this;
    }

    public StorageHarness WithoutHostedServices()
    {
        _startHostedServices = false;
        return this;
    }

    public async Task<StorageHarness> StartAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        await BuildAsync();
        return this;
    }

    /// <summary>A second "replica": its own services over the same database.</summary>
    public async Task<StorageHarness> CreatePeerAsync()
    {
        var peer = new StorageHarness(_provider)
        {
            _time = _time,
            _sqliteSuffix = _sqliteSuffix,
            _startHostedServices = _startHostedServices,
            _ownsDatabase = false,
            ConnectionString = ConnectionString,
            // A replica has its own local files (the ledger's write-ahead log) over the shared database.
            _tempDir = Path.Combine(Path.GetTempPath(), "moat-storage-tests", Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in _settings)
        {
            peer._settings[key] = value;
        }
        peer._settings["Moat:DataDir"] = peer._tempDir;
        await peer.BuildAsync();
        return peer;
    }

    /// <summary>The same "process" started again after a crash: new services over the same database and data directory.</summary>
    public async Task<StorageHarness> RestartAsync(bool startHostedServices = true)
    {
        var restarted = new StorageHarness(_provider)
        {
            _time = _time,
            _sqliteSuffix = _sqliteSuffix,
            _startHostedServices = startHostedServices,
            _ownsDatabase = false,
            ConnectionString = ConnectionString,
            _tempDir = _tempDir,
        };
        foreach (var (key, value) in _settings)
        {
            restarted._settings[key] = value;
        }
        await restarted.BuildAsync();
        return restarted;
    }

    public async Task StartHostedServicesAsync()
    {
        foreach (var service in Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
            _started.Add(service);
        }
    }

    public async Task StopHostedServicesAsync()
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            await _started[i].StopAsync(CancellationToken.None);
        }
        _started = [];
    }

    public async Task<int> ExecuteSqlAsync(string sql)
    {
        // Plain ADO: EF's raw SQL API would treat braces in JSON literals as format placeholders.
        await using var db = await Services.GetRequiredService<IDbContextFactory<MoatDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every cell of the query's result as text (for asserting what is really stored).</summary>
    public async Task<List<string>> QueryCellsAsync(string sql)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<MoatDbContext>>().CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var cells = new List<string>();
        while (await reader.ReadAsync())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                cells.Add(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "");
            }
        }
        return cells;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        var cells = await QueryCellsAsync(sql);
        return long.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostedServicesAsync();
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
        if (!_ownsDatabase)
        {
            return;
        }
        if (_provider == StorageProvider.Sqlite)
        {
            SqliteConnection.ClearAllPools();
        }
        if (_tempDir is not null)
        {
            try
            {
                System.IO.Directory.Delete(_tempDir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
        if (_provider == StorageProvider.Postgres && _databaseName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresEnvironment.RequireConnectionString());
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_databaseName}\" WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> CreateDatabaseAsync()
    {
        // Every provider gets a private data directory: the ledger's write-ahead log lives there.
        _tempDir = Path.Combine(Path.GetTempPath(), "moat-storage-tests", Guid.NewGuid().ToString("N"));
        _settings["Moat:DataDir"] = _tempDir;
        if (_provider == StorageProvider.Sqlite)
        {
            return $"Data Source={Path.Combine(_tempDir, "moat.db")}{_sqliteSuffix}";
        }
        var server = PostgresEnvironment.RequireConnectionString();
        _databaseName = "moat_test_" + Guid.NewGuid().ToString("N");
        // Migrations create the database; this only names it.
        return new NpgsqlConnectionStringBuilder(server) { Database = _databaseName }.ConnectionString;
    }

    private async Task BuildAsync()
    {
        _settings["Moat:Storage:Provider"] = _provider.ToString();
        _settings["Moat:Storage:ConnectionString"] = ConnectionString;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(_time);
        services.AddMoatStorage(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        if (_ownsDatabase)
        {
            await MoatDatabase.MigrateAsync(_services);
        }
        if (_startHostedServices)
        {
            await StartHostedServicesAsync();
        }
    }
}
