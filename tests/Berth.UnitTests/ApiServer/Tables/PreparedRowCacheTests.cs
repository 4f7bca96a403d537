using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Prepared pod rows are cached per stored array; only clock-independent facts are cached.</summary>
public sealed class PreparedRowCacheTests
{
    private const string RestartedPod = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web-1","namespace":"default","creationTimestamp":"ago:13","labels":{"app":"web"}},
         "spec":{"nodeName":"node1","containers":[{"name":"app"}]},
         "status":{"phase":"Running","podIP":"10.0.0.1","conditions":[{"type":"Ready","status":"True"}],
                   "containerStatuses":[{"name":"app","ready":true,"restartCount":2,"lastState":{"terminated":{"finishedAt":"ago:40"}},
                     "state":{"running":{"startedAt":"ago:39"}}}]}}
        """;

    private static IPreparedRowPrinter PodPrinter => (IPreparedRowPrinter)TablePrinters.For(KindRegistry.Pods);

    [Fact]
    public void GetOrPrepare_SameArrayTwice_ReturnsTheCachedRow()
    {
        var bytes = Utf8(RestartedPod);

        var first = PreparedRowCache.GetOrPrepare(bytes, PodPrinter);
        var second = PreparedRowCache.GetOrPrepare(bytes, PodPrinter);

        Assert.NotNull(first);
        Assert.Same(first, second);
    }

    [Fact]
    public void GetOrPrepare_EqualBytesInAnotherArray_PreparesAgain()
    {
        var first = PreparedRowCache.GetOrPrepare(Utf8(RestartedPod), PodPrinter);
        var second = PreparedRowCache.GetOrPrepare(Utf8(RestartedPod), PodPrinter);

        Assert.NotSame(first, second);
    }

    [Fact]
    public void GetOrPrepare_PartOfALargerArray_IsNotCached()
    {
        byte[] bytes = [.. Utf8(RestartedPod), (byte)' '];

        Assert.Null(PreparedRowCache.GetOrPrepare(bytes.AsMemory(0, bytes.Length - 1), PodPrinter));
    }

    [Fact]
    public void Cells_CachedRowLater_AgeAndRestartAgeFollowTheClock()
    {
        var row = PreparedRowCache.GetOrPrepare(Utf8(RestartedPod), PodPrinter)!.Row;

        var now = row.Cells(Now);
        var later = row.Cells(Now.AddMinutes(5));

        Assert.Equal(new object?[] { "web-1", "1/1", "Running", "2 (40s ago)", "13s", "10.0.0.1", "node1", "<none>", "<none>" }, now);
        Assert.Equal("2 (5m40s ago)", later[3]);
        Assert.Equal("5m13s", later[4]);
    }

    [Fact]
    public void Prepare_AnyPod_CellsEqualThePrinterOnTheObject()
    {
        var pod = Parse(RestartedPod);
        using var doc = JsonDocument.Parse(pod.ToJsonString());

        Assert.Equal(PodPrinter.Cells(pod, Now), PodPrinter.Prepare(doc.RootElement).Cells(Now));
    }

    [Fact]
    public void WriteRow_SameStoredArrayInTwoLists_RowsEqualAndMetadataCopied()
    {
        var bytes = Utf8(RestartedPod);

        var first = StreamOne(bytes, IncludeObjectPolicy.Metadata);
        var second = StreamOne(bytes, IncludeObjectPolicy.Metadata);

        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Parse(RestartedPod)["metadata"], second["rows"]![0]!["object"]!["metadata"]));
    }

    [Theory]
    [InlineData(IncludeObjectPolicy.None)]
    [InlineData(IncludeObjectPolicy.Metadata)]
    [InlineData(IncludeObjectPolicy.Object)]
    public void WriteRow_TransientBuffer_EqualsTheCachedPath(IncludeObjectPolicy include)
    {
        byte[] bytes = [.. Utf8(RestartedPod), (byte)' '];
        var transient = bytes.AsMemory(0, bytes.Length - 1);

        var uncached = StreamOne(transient, include);
        var cached = StreamOne(transient.ToArray(), include);

        Assert.True(JsonNode.DeepEquals(uncached, cached), $"uncached {uncached.ToJsonString()}\ncached {cached.ToJsonString()}");
    }

    /// <summary>The point of the cache: a second LIST of unchanged pods parses nothing (deterministic, unlike wall time).</summary>
    [Fact]
    public void WriteRow_SecondListOfUnchangedPods_AllocatesUnderAThirdOfTheFirst()
    {
        var stored = Enumerable.Range(0, 1000).Select(i => Utf8(RestartedPod.Replace("web-1", $"web-{i}", StringComparison.Ordinal))).ToList();
        var sink = new ArrayBufferWriter<byte>(4 << 20);
        StreamPodTable(Enumerable.Range(0, 10).Select(i => Utf8(RestartedPod)), sink);

        var before = GC.GetAllocatedBytesForCurrentThread();
        StreamPodTable(stored, sink);
        var first = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        StreamPodTable(stored, sink);
        var second = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.InRange(second, 1, first / 3);
    }

    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(Parse(json).ToJsonString());

    private static JsonNode StreamOne(ReadOnlyMemory<byte> item, IncludeObjectPolicy include)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var table = new TableStreamWriter(writer, KindRegistry.Pods, include, Now);
            table.WriteStart("meta.k8s.io/v1", "1", null, includeColumnDefinitions: false);
            table.WriteRow(item);
            table.WriteEnd();
        }
        return JsonNode.Parse(buffer.WrittenSpan)!;
    }
}
