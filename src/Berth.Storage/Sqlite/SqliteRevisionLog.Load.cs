using Microsoft.Data.Sqlite;

namespace Berth.Storage.Sqlite;

/// <summary>Startup reads: the current state for the index and recent history for the watch window.</summary>
internal sealed partial class SqliteRevisionLog
{
    private const string CurrentSql = """
        SELECT id, name, create_revision, value FROM kine
        WHERE deleted = 0 AND id IN (SELECT MAX(id) FROM kine GROUP BY name)
        ORDER BY name
        """;

    // The previous value is joined only when it is older than the loaded window; newer ones are already in memory.
    private const string HistorySql = """
        SELECT k.id, k.name, k.created, k.deleted, k.create_revision, k.prev_revision, k.value, p.value
        FROM kine k LEFT JOIN kine p ON p.id = k.prev_revision AND k.prev_revision <= $after
        WHERE k.id > $after ORDER BY k.id
        """;

    /// <summary>Every live key at its newest revision.</summary>
    public List<StoredObject> LoadCurrent()
    {
        var result = new List<StoredObject>();
        using var command = _connection.CreateCommand();
        command.CommandText = CurrentSql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new StoredObject(reader.GetString(1), reader.GetInt64(0), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
        }
        return result;
    }

    /// <summary>
    /// Every change after <paramref name="afterRevision"/>, oldest first. Objects that are also current are taken from
    /// <paramref name="current"/> so the window and the index share one copy of each value.
    /// </summary>
    public List<StoreEvent> LoadHistory(long afterRevision, IReadOnlyDictionary<long, StoredObject> current)
    {
        var loaded = new Dictionary<long, StoredObject>();
        var result = new List<StoreEvent>();
        using var command = _connection.CreateCommand();
        command.CommandText = HistorySql;
        command.Parameters.AddWithValue("$after", afterRevision);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var change = ReadChange(reader, loaded, current);
            loaded[change.Object.Revision] = change.Object;
            result.Add(change);
        }
        return result;
    }

    private static StoreEvent ReadChange(SqliteDataReader reader, Dictionary<long, StoredObject> loaded, IReadOnlyDictionary<long, StoredObject> current)
    {
        var id = reader.GetInt64(0);
        var name = reader.GetString(1);
        var createRevision = reader.GetInt64(4);
        var prevRevision = reader.GetInt64(5);
        var obj = current.GetValueOrDefault(id) ?? new StoredObject(name, id, createRevision, reader.GetFieldValue<byte[]>(6));
        var previous = prevRevision == 0 ? null
            : loaded.GetValueOrDefault(prevRevision)
              ?? (reader.IsDBNull(7) ? null : new StoredObject(name, prevRevision, createRevision, reader.GetFieldValue<byte[]>(7)));
        var type = reader.GetInt64(3) != 0 ? StoreEventType.Deleted
            : reader.GetInt64(2) != 0 ? StoreEventType.Added
            : StoreEventType.Modified;
        return new StoreEvent(type, obj, previous);
    }
}
