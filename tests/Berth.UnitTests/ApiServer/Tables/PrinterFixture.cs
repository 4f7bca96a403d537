using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Shared clock and helpers for printer tests: objects are JSON literals, times are offsets from <see cref="Now"/>.</summary>
internal static partial class PrinterFixture
{
    public static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An RFC 3339 timestamp <paramref name="ago"/> before <see cref="Now"/>.</summary>
    public static string Ago(TimeSpan ago) =>
        (Now - ago).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string SecondsAgo(int s) => Ago(TimeSpan.FromSeconds(s));

    /// <summary>Parses a JSON literal in which <c>"ago:N"</c> stands for the timestamp N seconds before <see cref="Now"/>
    /// (negative N is in the future).</summary>
    public static JsonObject Parse(string json) =>
        JsonNode.Parse(AgoPattern().Replace(json, m => SecondsAgo(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))))!.AsObject();

    [GeneratedRegex("ago:(-?[0-9]+)")]
    private static partial Regex AgoPattern();

    /// <summary>The cells the registered printer of <paramref name="kind"/> produces for <paramref name="json"/>.</summary>
    public static IReadOnlyList<object?> Cells(ResourceKind kind, string json) =>
        TablePrinters.For(kind).Cells(Parse(json), Now);

    /// <summary>The cell under column <paramref name="column"/>.</summary>
    public static object? Cell(ResourceKind kind, string json, string column)
    {
        var printer = TablePrinters.For(kind);
        var index = printer.Columns.ToList().FindIndex(c => c.Name == column);
        Assert.True(index >= 0, $"no column {column}");
        return printer.Cells(Parse(json), Now)[index];
    }

    /// <summary>Column names in order, with wide (priority 1) columns in brackets.</summary>
    public static string ColumnLayout(ResourceKind kind) =>
        string.Join(", ", TablePrinters.For(kind).Columns.Select(c => c.Priority == 0 ? c.Name : $"[{c.Name}]"));

    /// <summary>Replaces <paramref name="sink"/>'s content with a streamed pod Table (metadata rows) of <paramref name="items"/>.</summary>
    public static void StreamPodTable(IEnumerable<byte[]> items, ArrayBufferWriter<byte> sink)
    {
        sink.Clear();
        using var writer = new Utf8JsonWriter(sink);
        var table = new TableStreamWriter(writer, KindRegistry.Pods, IncludeObjectPolicy.Metadata, Now);
        table.WriteStart("meta.k8s.io/v1", "1", null, includeColumnDefinitions: true);
        foreach (var item in items)
        {
            table.WriteRow(item);
        }
        table.WriteEnd();
    }
}
