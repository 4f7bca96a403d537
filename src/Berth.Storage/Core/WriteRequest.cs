using System.Text.Json.Nodes;

namespace Berth.Storage.Core;

/// <summary>The three mutating verbs of the store.</summary>
internal enum WriteKind
{
    /// <summary>Create a key that must not exist.</summary>
    Create,

    /// <summary>Replace a live key, optionally guarded by its revision.</summary>
    Update,

    /// <summary>Delete a live key, optionally guarded by its revision.</summary>
    Delete,
}

/// <summary>
/// One mutation waiting for the writer. <see cref="ExpectedRevision"/> 0 means unconditional (update and delete);
/// <see cref="Value"/> is null only for deletes and is read (never mutated) by the writer.
/// </summary>
internal sealed record WriteRequest(WriteKind Kind, string Key, long ExpectedRevision, JsonObject? Value)
{
    public static WriteRequest Create(string key, JsonObject value) => new(WriteKind.Create, Checked(key), 0, NotNull(value));

    public static WriteRequest Update(string key, long expectedRevision, JsonObject value) =>
        new(WriteKind.Update, Checked(key), Expected(expectedRevision), NotNull(value));

    public static WriteRequest Delete(string key, long expectedRevision) =>
        new(WriteKind.Delete, Checked(key), Expected(expectedRevision), null);

    private static string Checked(string key)
    {
        KeyRange.CheckKey(key);
        return key;
    }

    private static JsonObject NotNull(JsonObject value) => value ?? throw new ArgumentNullException(nameof(value));

    private static long Expected(long revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return revision;
    }
}
