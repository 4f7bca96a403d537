using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// The on-disk layout: kine's single append-only table (row id = revision) plus a one-row-per-setting meta table
/// that remembers the compacted revision across restarts. Schema as data, like k3s-io/kine pkg/drivers/sqlite/sqlite.go.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Bumped when the layout changes; stored in <c>PRAGMA user_version</c>.</summary>
    public const int Version = 1;

    public const string CompactRevisionKey = "compact_rev";

    private static readonly string[] Ddl =
    [
        """
        CREATE TABLE IF NOT EXISTS kine (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            created INTEGER NOT NULL,
            deleted INTEGER NOT NULL,
            create_revision INTEGER NOT NULL,
            prev_revision INTEGER NOT NULL,
            value BLOB NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS kine_name_id_index ON kine (name, id)",
        "CREATE TABLE IF NOT EXISTS berth_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID",
    ];

    /// <summary>Opens (creating when absent) the database file with WAL and the configured synchronous mode.</summary>
    public static SqliteConnection Open(StoreOptions options)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            ApplyPragmas(connection, options);
            CreateTables(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void ApplyPragmas(SqliteConnection connection, StoreOptions options)
    {
        var synchronous = options.Synchronous == SqliteSynchronousMode.Full ? "FULL" : "NORMAL";
        var busy = ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        var mode = Execute<string>(connection, "PRAGMA journal_mode=WAL");
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"SQLite refused WAL journal mode for {options.Path} (got {mode})");
        }
        Execute<long>(connection, $"PRAGMA busy_timeout={busy}");
        Execute<long>(connection, $"PRAGMA synchronous={synchronous}");
        Execute<long>(connection, "PRAGMA journal_size_limit=67108864");
    }

    private static void CreateTables(SqliteConnection connection)
    {
        var version = Execute<long>(connection, "PRAGMA user_version");
        if (version > Version)
        {
            throw new InvalidOperationException($"database schema version {version} is newer than this build ({Version})");
        }
        using var tx = connection.BeginTransaction();
        foreach (var statement in Ddl)
        {
            Execute<long>(connection, statement, tx);
        }
        Execute<long>(connection, $"PRAGMA user_version={Version}", tx);
        tx.Commit();
    }

    internal static T? Execute<T>(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        var result = command.ExecuteScalar();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, typeof(T), CultureInfo.InvariantCulture);
    }
}
