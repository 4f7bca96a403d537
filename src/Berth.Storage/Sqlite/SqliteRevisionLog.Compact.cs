namespace Berth.Storage.Sqlite;

/// <summary>
/// History deletion. A row may go once a later row of the same key is at or below the compact revision (it is that
/// row's <c>prev_revision</c>), and a tombstone may go once it is at or below it. Live rows and every row above the
/// compact revision stay, so replay after it keeps its previous values. Same rule as kine's Compact.
/// </summary>
internal sealed partial class SqliteRevisionLog
{
    private const string CompactSql = """
        DELETE FROM kine WHERE id IN (
            SELECT prev_revision FROM kine WHERE id > $from AND id <= $to AND prev_revision != 0);
        DELETE FROM kine WHERE id > $from AND id <= $to AND deleted = 1;
        INSERT INTO berth_meta (key, value) VALUES ($key, $to)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value;
        """;

    /// <summary>
    /// Compacts the revisions in (<see cref="CompactedRevision"/>, <paramref name="to"/>] in one short transaction and
    /// returns the number of rows deleted. The caller keeps each range small so the writer is held for a few ms only.
    /// </summary>
    public int CompactRange(long to)
    {
        if (to <= CompactedRevision)
        {
            return 0;
        }
        using var tx = _connection.BeginTransaction();
        using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = CompactSql;
        command.Parameters.AddWithValue("$from", CompactedRevision);
        command.Parameters.AddWithValue("$to", to);
        command.Parameters.AddWithValue("$key", SqliteSchema.CompactRevisionKey);
        var deleted = command.ExecuteNonQuery();
        tx.Commit();
        CompactedRevision = to;
        return deleted;
    }
}
