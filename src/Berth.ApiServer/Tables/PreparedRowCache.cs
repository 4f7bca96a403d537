using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Berth.ApiServer.Tables;

/// <summary>
/// The prepared row of a stored object, computed at most once per stored value: stored values are immutable byte
/// arrays that are replaced (never changed) when the object changes, so the array itself is the key, and an entry
/// goes away with it. A 3,000-pod <c>kubectl get pods -A</c> then parses only the pods changed since the last one.
/// Along with the row it keeps where <c>metadata</c> lies in the bytes, so a PartialObjectMetadata row copies that
/// slice without parsing. Mirrors nothing upstream (the apiserver prints every row from its watch cache's decoded objects).
/// </summary>
/// <remarks>Thread-safe; a race may prepare the same value twice, one result wins.</remarks>
public static class PreparedRowCache
{
    private static readonly ConditionalWeakTable<byte[], CachedRow> Rows = new();

    /// <summary>
    /// The cached row of <paramref name="item"/> for <paramref name="printer"/>, preparing and caching it on a miss.
    /// Null when <paramref name="item"/> is not a whole array (a transient buffer, e.g. a watch event), which is never cached.
    /// </summary>
    /// <exception cref="JsonException">When <paramref name="item"/> is not JSON.</exception>
    public static CachedRow? GetOrPrepare(ReadOnlyMemory<byte> item, IPreparedRowPrinter printer)
    {
        if (!MemoryMarshal.TryGetArray(item, out var segment) || segment.Array is not { } array ||
            segment.Offset != 0 || segment.Count != array.Length)
        {
            return null;
        }
        if (Rows.TryGetValue(array, out var cached) && ReferenceEquals(cached.Printer, printer))
        {
            return cached;
        }
        cached = Prepare(array, printer);
        Rows.AddOrUpdate(array, cached);
        return cached;
    }

    private static CachedRow Prepare(byte[] json, IPreparedRowPrinter printer)
    {
        IPreparedRow row;
        using (var doc = JsonDocument.Parse(json))
        {
            row = printer.Prepare(doc.RootElement);
        }
        var (start, length) = JsonRanges.TopLevelObject(json, "metadata"u8);
        return new CachedRow(printer, row, start, length);
    }
}

/// <summary>
/// One cached row: the printer that prepared it, the row, and the byte range of the object's <c>metadata</c> object
/// in the stored value (<see cref="MetadataStart"/> is -1 when it has none).
/// </summary>
public sealed record CachedRow(IPreparedRowPrinter Printer, IPreparedRow Row, int MetadataStart, int MetadataLength);
