using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.ApiServer;

public sealed class ResourceApiWatchTests : IAsyncLifetime
{
    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiServerTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpResponseMessage Response, StreamReader Reader)> OpenAsync(string query, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods?watch=true&" + query);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        return (response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static async Task<JsonObject> ReadEvent(StreamReader reader)
    {
        var line = await reader.ReadLineAsync().DefaultTimeout();
        Assert.NotNull(line);
        return JsonNode.Parse(line)!.AsObject();
    }

    [Fact]
    public async Task Watch_StreamsOneJsonEventPerLine()
    {
        var rv = _host.Store.CurrentRevision.ToString();
        var (response, reader) = await OpenAsync("resourceVersion=" + rv);
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
            var added = await ReadEvent(reader);
            Assert.Equal("ADDED", added.GetString("type"));
            Assert.Equal("a", added.GetObject("object")!.GetName());
            await _host.Api.DeleteAsync(KindRegistry.Pods, "default", "a");
            Assert.Equal("MODIFIED", (await ReadEvent(reader)).GetString("type"));
            Assert.Equal("DELETED", (await ReadEvent(reader)).GetString("type"));
        }
    }

    [Fact]
    public async Task Watch_TableAccept_SendsOneRowTablesWithColumnsOnlyFirst()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("b"));
        var (response, reader) = await OpenAsync("resourceVersion=0", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using (response)
        {
            var first = (await ReadEvent(reader)).GetObject("object")!;
            var second = (await ReadEvent(reader)).GetObject("object")!;
            Assert.Equal("Table", first.GetString("kind"));
            Assert.NotEmpty(first.GetArray("columnDefinitions")!);
            Assert.Empty(second.GetArray("columnDefinitions")!);
            Assert.Single(second.GetArray("rows")!);
        }
    }

    [Fact]
    public async Task Watch_CompactedResourceVersion_SendsExpiredErrorEventAndEnds()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("b"));
        await _host.Store.CompactAsync(_host.Store.CurrentRevision);
        var (response, reader) = await OpenAsync("resourceVersion=1");
        using (response)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var error = await ReadEvent(reader);
            Assert.Equal("ERROR", error.GetString("type"));
            Assert.Equal("Expired", error.GetString("object", "reason"));
            Assert.Equal(410, error.GetObject("object")!["code"]!.GetValue<int>());
            Assert.Null(await reader.ReadLineAsync().DefaultTimeout());
        }
    }

    [Fact]
    public async Task Watch_TimeoutSeconds_EndsTheStream()
    {
        var (response, reader) = await OpenAsync("timeoutSeconds=1&resourceVersion=" + _host.Store.CurrentRevision);
        using (response)
        {
            Assert.Null(await reader.ReadLineAsync().DefaultTimeout());
        }
    }

    [Fact]
    public async Task Watch_BadLabelSelector_Returns400Status()
    {
        var (response, _) = await OpenAsync("labelSelector=a%20in%20(");
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Watch_TableAccept_RowCarriesCellsMetadataAndResourceVersion()
    {
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("c"));
        var (response, reader) = await OpenAsync("resourceVersion=0", "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json");
        using (response)
        {
            var e = await ReadEvent(reader);
            Assert.Equal("ADDED", e.GetString("type"));
            var table = e.GetObject("object")!;
            Assert.Equal(("Table", "meta.k8s.io/v1beta1"), (table.GetString("kind"), table.GetString("apiVersion")));
            Assert.Equal(created.GetResourceVersion(), table.GetString("metadata", "resourceVersion"));
            var row = Assert.Single(table.GetArray("rows")!)!.AsObject();
            Assert.Equal("c", (string?)row["cells"]![0]);
            Assert.Equal(9, row["cells"]!.AsArray().Count);
            Assert.Equal("PartialObjectMetadata", row.GetString("object", "kind"));
            Assert.True(JsonNode.DeepEquals(created["metadata"], row["object"]!["metadata"]));
        }
    }

    [Fact]
    public async Task Watch_TableAcceptCompactedResourceVersion_ErrorEventKeepsStatus()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("b"));
        await _host.Store.CompactAsync(_host.Store.CurrentRevision);
        var (response, reader) = await OpenAsync("resourceVersion=1", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        using (response)
        {
            var error = await ReadEvent(reader);
            Assert.Equal("ERROR", error.GetString("type"));
            Assert.Equal(("Status", "Expired"), (error.GetString("object", "kind"), error.GetString("object", "reason")));
        }
    }
}
