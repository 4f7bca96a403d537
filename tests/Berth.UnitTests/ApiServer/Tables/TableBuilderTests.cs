using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using Xunit.Abstractions;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class TableBuilderTests(ITestOutputHelper output)
{
    private const string PodTemplate = """
        {"apiVersion":"v1","kind":"Pod",
         "metadata":{"name":"web-@IDX@","namespace":"default","uid":"uid-@IDX@","resourceVersion":"@RV@","creationTimestamp":"ago:13",
                     "labels":{"app":"web","pod-template-hash":"5d8f"},"annotations":{"note":"x"},
                     "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-5d8f","uid":"rs","controller":true}],
                     "managedFields":[{"manager":"kubectl","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:containers":{}}}}]},
         "spec":{"nodeName":"node1","containers":[{"name":"app","image":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}]}]},
         "status":{"phase":"@PHASE@","podIP":"10.0.0.@IP@","podIPs":[{"ip":"10.0.0.@IP@"}],
                   "conditions":[{"type":"Initialized","status":"True"},{"type":"Ready","status":"True"}],
                   "containerStatuses":[{"name":"app","ready":true,"restartCount":1,"image":"nginx","imageID":"x","containerID":"berth://@IDX@",
                     "lastState":{"terminated":{"exitCode":1,"finishedAt":"ago:40"}},"state":{"running":{"startedAt":"ago:39"}}}]}}
        """;

    private static JsonObject Pod(int i, string phase = "Running") => Parse(PodTemplate
        .Replace("@IDX@", i.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@RV@", (1000 + i).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@IP@", (i % 250).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@PHASE@", phase, StringComparison.Ordinal));

    [Fact]
    public void Build_Pods_HasTableShape()
    {
        var table = TableBuilder.Build(KindRegistry.Pods, [Pod(1)], "1012", "next", IncludeObjectPolicy.Metadata, Now);
        Assert.Equal("Table", (string?)table["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)table["apiVersion"]);
        Assert.Equal("1012", (string?)table["metadata"]!["resourceVersion"]);
        Assert.Equal("next", (string?)table["metadata"]!["continue"]);
        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal(9, columns.Count);
        Assert.Equal("""{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace.","priority":0}""",
            columns[0]!.ToJsonString());
        Assert.Equal(1, (int)columns[5]!["priority"]!);
        var row = Assert.Single(table["rows"]!.AsArray())!;
        Assert.Equal("""["web-1","1/1","Running","1 (40s ago)","13s","10.0.0.1","node1","\u003Cnone\u003E","\u003Cnone\u003E"]""",
            row["cells"]!.ToJsonString());
        Assert.Null(row["conditions"]);
    }

    [Fact]
    public void Build_MetadataPolicy_RowObjectIsPartialObjectMetadataCopy()
    {
        var pod = Pod(2);
        var table = TableBuilder.Build(KindRegistry.Pods, [pod], "5", null, IncludeObjectPolicy.Metadata, Now);
        var obj = table["rows"]![0]!["object"]!.AsObject();
        Assert.Equal("PartialObjectMetadata", (string?)obj["kind"]);
        Assert.Equal("meta.k8s.io/v1", (string?)obj["apiVersion"]);
        Assert.True(JsonNode.DeepEquals(pod["metadata"], obj["metadata"]));
        Assert.Null(obj["spec"]);
        obj["metadata"]!["labels"]!["app"] = "changed";
        Assert.Equal("web", (string?)pod["metadata"]!["labels"]!["app"]);
        Assert.Null(table["metadata"]!["continue"]);
    }

    [Fact]
    public void Build_ObjectPolicy_RowCarriesFullObjectCopy()
    {
        var pod = Pod(3);
        var table = TableBuilder.Build(KindRegistry.Pods, [pod], "5", null, IncludeObjectPolicy.Object, Now);
        var obj = table["rows"]![0]!["object"]!;
        Assert.True(JsonNode.DeepEquals(pod, obj));
        Assert.NotSame(pod, obj);
    }

    [Fact]
    public void Build_NonePolicyWithoutColumns_RowsHaveOnlyCells()
    {
        var table = TableBuilder.Build(KindRegistry.Pods, [Pod(4, "Succeeded")], null, null, IncludeObjectPolicy.None, Now, includeColumnDefinitions: false);
        Assert.Empty(table["columnDefinitions"]!.AsArray());
        var row = table["rows"]![0]!.AsObject();
        Assert.False(row.ContainsKey("object"));
        Assert.Equal("Completed", (string?)row["conditions"]![0]!["type"]);
        Assert.False(table["metadata"]!.AsObject().ContainsKey("resourceVersion"));
    }

    [Fact]
    public void Build_IntegerCells_SerializeAsNumbers()
    {
        var rs = Parse("""{"metadata":{"name":"rs","creationTimestamp":"ago:13"},"spec":{"replicas":2},"status":{"replicas":2,"readyReplicas":1}}""");
        var table = TableBuilder.Build(KindRegistry.ReplicaSets, [rs], "1", null, IncludeObjectPolicy.None, Now);
        Assert.Equal("""["rs",2,2,1,"13s","","","\u003Cnone\u003E"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Build_ObjectWithoutMetadata_DoesNotMutateItem()
    {
        var item = new JsonObject();
        var table = TableBuilder.Build(KindRegistry.ConfigMaps, [item], "1", null, IncludeObjectPolicy.Metadata, Now);
        Assert.False(item.ContainsKey("metadata"));
        Assert.Empty(table["rows"]![0]!["object"]!["metadata"]!.AsObject());
    }

    /// <summary>
    /// A LIST of 3,000 pods must stay cheap. Wall time on the shared test machine is too noisy to assert, so the
    /// guard is allocation per row (deterministic): reading lazily parsed nodes, the cells and the metadata copy.
    /// </summary>
    [Fact]
    public void Build_ThreeThousandPods_AllocatesBoundedBytesPerRow()
    {
        var pods = Enumerable.Range(0, 3000).Select(i => Pod(i)).ToList();
        TableBuilder.Build(KindRegistry.Pods, [Pod(0)], "1", null, IncludeObjectPolicy.Metadata, Now);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        var table = TableBuilder.Build(KindRegistry.Pods, pods, "1", null, IncludeObjectPolicy.Metadata, Now);
        var built = watch.Elapsed;
        var perRow = (GC.GetAllocatedBytesForCurrentThread() - before) / pods.Count;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(table);
        output.WriteLine($"3000 pods: build {built.TotalMilliseconds:F1} ms, +serialize {watch.Elapsed.TotalMilliseconds:F1} ms, " +
            $"{perRow} B allocated per row, {bytes.Length} B of JSON");
        Assert.Equal(3000, table["rows"]!.AsArray().Count);
        Assert.InRange(perRow, 1, 24 * 1024);
    }
}
