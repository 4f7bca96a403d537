using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.ApiServer;

/// <summary>
/// LIST bodies are streamed and flushed in 64 KB pieces; these lists are several times larger than one piece, so they
/// check that the streamed JSON and Tables carry every item, the list metadata and continue tokens intact.
/// </summary>
public sealed class ResourceApiListStreamingTests : IAsyncLifetime
{
    private const int PodCount = 60;
    private const string TableV1 = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
    private const string TableV1Beta1 = "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private ApiServerTestHost _host = null!;
    private ApiList _stored = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiServerTestHost.StartAsync();
        for (var i = 0; i < PodCount; i++)
        {
            var pod = ApiServerTestHost.Pod($"pod-{i:D3}");
            pod["metadata"]!["annotations"] = new JsonObject { ["padding"] = new string('x', 4000) };
            await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        }
        _stored = await _host.Api.ListAsync(KindRegistry.Pods, "default");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task List_JsonLargerThanFlushThreshold_CarriesEveryStoredItem()
    {
        var list = await GetAsync("/api/v1/namespaces/default/pods", "application/json");
        Assert.Equal(("PodList", "v1"), (list.GetString("kind"), list.GetString("apiVersion")));
        Assert.Equal(_stored.ResourceVersion, list.GetString("metadata", "resourceVersion"));
        Assert.False(list["metadata"]!.AsObject().ContainsKey("continue"));
        var items = list.GetArray("items")!;
        Assert.Equal(PodCount, items.Count);
        for (var i = 0; i < PodCount; i++)
        {
            Assert.True(JsonNode.DeepEquals(_stored.Items[i], items[i]), $"item {i} differs");
        }
    }

    [Fact]
    public async Task List_TablePagedWithLimit_RowsContinueTokensAndResourceVersionMatchStore()
    {
        var rows = new List<JsonNode>();
        string? token = null;
        var pages = 0;
        do
        {
            var path = "/api/v1/namespaces/default/pods?limit=25" + (token is null ? "" : "&continue=" + Uri.EscapeDataString(token));
            var table = await GetAsync(path, TableV1);
            pages++;
            Assert.Equal(("Table", "meta.k8s.io/v1"), (table.GetString("kind"), table.GetString("apiVersion")));
            Assert.Equal(_stored.ResourceVersion, table.GetString("metadata", "resourceVersion"));
            Assert.Equal(9, table.GetArray("columnDefinitions")!.Count);
            rows.AddRange(table.GetArray("rows")!.Select(r => r!));
            token = table.GetString("metadata", "continue");
        }
        while (token is not null);
        Assert.Equal(3, pages);
        Assert.Equal(PodCount, rows.Count);
        for (var i = 0; i < PodCount; i++)
        {
            Assert.Equal($"pod-{i:D3}", (string?)rows[i]["cells"]![0]);
            Assert.Equal("PartialObjectMetadata", (string?)rows[i]["object"]!["kind"]);
            Assert.True(JsonNode.DeepEquals(_stored.Items[i]["metadata"], rows[i]["object"]!["metadata"]), $"row {i} metadata differs");
        }
    }

    [Fact]
    public async Task List_TableIncludeObjectObject_RowsCarryWholeObjects()
    {
        var table = await GetAsync("/api/v1/namespaces/default/pods?includeObject=Object", TableV1Beta1);
        Assert.Equal("meta.k8s.io/v1beta1", table.GetString("apiVersion"));
        var rows = table.GetArray("rows")!;
        Assert.Equal(PodCount, rows.Count);
        for (var i = 0; i < PodCount; i++)
        {
            Assert.True(JsonNode.DeepEquals(_stored.Items[i], rows[i]!["object"]), $"row {i} object differs");
        }
    }

    [Fact]
    public async Task List_TableWithLabelSelector_PrintsOnlyMatchingRows()
    {
        var table = await GetAsync("/api/v1/namespaces/default/pods?labelSelector=app%3Dpod-007&includeObject=None", TableV1);
        var row = Assert.Single(table.GetArray("rows")!)!;
        Assert.Equal("pod-007", (string?)row["cells"]![0]);
        Assert.Null(row["object"]);
    }

    private async Task<JsonObject> GetAsync(string path, string accept)
    {
        using var response = await _host.SendAsync(HttpMethod.Get, path, accept: accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiServerTestHost.ReadJsonAsync(response);
    }
}
