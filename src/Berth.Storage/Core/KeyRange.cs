namespace Berth.Storage.Core;

/// <summary>Ordinal key comparisons shared by the index and the watch filters. Pure functions.</summary>
internal static class KeyRange
{
    public static bool HasPrefix(string key, string prefix) => key.StartsWith(prefix, StringComparison.Ordinal);

    public static void CheckKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
        {
            throw new ArgumentException("store key must not be empty", nameof(key));
        }
    }
}
