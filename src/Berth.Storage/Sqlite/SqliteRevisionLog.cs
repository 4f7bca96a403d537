using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>
/// Reads and appends rows of the <c>kine</c> table on one connection. After <see cref="SqliteResourceStore.Open"/>
/// only the writer thread calls it, so it is not thread-safe. Every row is one revision: <c>created</c> marks a
/// create, <c>deleted</c> a tombstone whose value is the last state stamped with the deletion's revision.
/// Mirrors k3s-io/kine pkg/logstructured/sqllog/sql.go (Append, After, Compact).
/// </summary>
internal sealed partial class SqliteRevisionLog : IDisposable
{
    private const string InsertSql = """
        INSERT INTO kine (id, name, created, deleted, create_revision, prev_revision, value)
        VALUES ($id, $name, $created, $deleted, $create_revision, $prev_revision, $value)
        """;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;

    public SqliteRevisionLog(StoreOptions options)
    {
        _connection = SqliteSchema.Open(options);
        _insert = _connection.CreateCommand();
        _insert.CommandText = InsertSql;
        foreach (var name in (string[])["$id", "$name", "$created", "$deleted", "$create_revision", "$prev_revision"])
        {
            _insert.Parameters.Add(name, name == "$name" ? SqliteType.Text : SqliteType.Integer);
        }
        _insert.Parameters.Add("$value", SqliteType.Blob);
        CompactedRevision = ReadCompactedRevision();
    }

    /// <summary>The revision up to which history rows were deleted (persisted in <c>berth_meta</c>).</summary>
    public long CompactedRevision { get; private set; }

    /// <summary>
    /// The highest revision ever handed out: max of <c>sqlite_sequence</c> and the table, so a revision is never
    /// reused even when the newest rows were compacted away.
    /// </summary>
    public long ReadLastRevision()
    {
        var seq = SqliteSchema.Execute<long>(_connection, "SELECT IFNULL(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'kine'");
        var max = SqliteSchema.Execute<long>(_connection, "SELECT IFNULL(MAX(id), 0) FROM kine");
        return Math.Max(Math.Max(seq, max), CompactedRevision);
    }

    /// <summary>Writes <paramref name="changes"/> in one transaction; returns once committed (durable per the synchronous mode).</summary>
    public void Append(IReadOnlyList<StoreEvent> changes)
    {
        using var tx = _connection.BeginTransaction();
        _insert.Transaction = tx;
        foreach (var change in changes)
        {
            var obj = change.Object;
            _insert.Parameters[0].Value = obj.Revision;
            _insert.Parameters[1].Value = obj.Key;
            _insert.Parameters[2].Value = change.Type == StoreEventType.Added ? 1 : 0;
            _insert.Parameters[3].Value = change.Type == StoreEventType.Deleted ? 1 : 0;
            _insert.Parameters[4].Value = obj.CreateRevision;
            _insert.Parameters[5].Value = change.PreviousObject?.Revision ?? 0;
            _insert.Parameters[6].Value = AsArray(obj.Value);
            _insert.ExecuteNonQuery();
        }
        tx.Commit();
        _insert.Transaction = null;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }

    private static byte[] AsArray(ReadOnlyMemory<byte> value) =>
        MemoryMarshal.TryGetArray(value, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : value.ToArray();

    private long ReadCompactedRevision() => SqliteSchema.Execute<long>(
        _connection, $"SELECT IFNULL(MAX(value), 0) FROM berth_meta WHERE key = '{SqliteSchema.CompactRevisionKey}'");
}
