using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.ApiServer.Protobuf.ProtoBuilder;

namespace Berth.UnitTests.ApiServer.Protobuf;

/// <summary>Protobuf request bodies through the HTTP API: create and update decode them, patches do not, limits hold.</summary>
public sealed class ProtobufRequestTests : IAsyncLifetime
{
    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";
    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiServerTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.kubernetes.protobuf");
        return content;
    }

    private static byte[] ConfigMap(string name, string value, string? resourceVersion = null)
    {
        var meta = Meta("ObjectMeta").Str("name", name).Str("namespace", "").Str("resourceVersion", resourceVersion ?? "");
        return Core("ConfigMap").Msg("metadata", meta).Entry("data", "k", value).Envelope("v1", "ConfigMap");
    }

    [Fact]
    public async Task Post_ProtobufNamespace_Returns201JsonAndStoresIt()
    {
        var body = Core("Namespace").Msg("metadata", Meta("ObjectMeta").Str("name", "from-proto").Msg("creationTimestamp", Meta("Time")))
            .Msg("spec", Core("NamespaceSpec")).Envelope("v1", "Namespace");
        using var content = Protobuf(body);
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/namespaces", content, accept: "application/vnd.kubernetes.protobuf, */*");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var created = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal("from-proto", created.GetName());
        Assert.NotNull(created.GetUid());
        var stored = await _host.Api.GetAsync(KindRegistry.Namespaces, null, "from-proto");
        Assert.Equal("Active", (string?)stored["status"]!["phase"]);
    }

    [Fact]
    public async Task Put_ProtobufConfigMap_UpdatesData()
    {
        using (var create = Protobuf(ConfigMap("c1", "one")))
        using (var created = await _host.SendAsync(HttpMethod.Post, ConfigMaps, create))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var current = await _host.Api.GetAsync(KindRegistry.ConfigMaps, "default", "c1");
        using var update = Protobuf(ConfigMap("c1", "two", current.GetResourceVersion()));
        using var response = await _host.SendAsync(HttpMethod.Put, ConfigMaps + "/c1", update);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("two", (string?)(await _host.Api.GetAsync(KindRegistry.ConfigMaps, "default", "c1"))["data"]!["k"]);
    }

    [Fact]
    public async Task Delete_WithProtobufDeleteOptions_Returns200AndDeletes()
    {
        using (var create = Protobuf(ConfigMap("gone", "x")))
        using (var created = await _host.SendAsync(HttpMethod.Post, ConfigMaps, create))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        using var options = Protobuf(Meta("DeleteOptions").Int("gracePeriodSeconds", 0).Str("propagationPolicy", "Background").Envelope("v1", "DeleteOptions"));
        using var response = await _host.SendAsync(HttpMethod.Delete, ConfigMaps + "/gone", options);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var get = await _host.SendAsync(HttpMethod.Get, ConfigMaps + "/gone");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Post_ProtobufKindNotMatchingPath_Returns400()
    {
        using var content = Protobuf(Core("Secret").Msg("metadata", Meta("ObjectMeta").Str("name", "x")).Envelope("v1", "Secret"));
        using var response = await _host.SendAsync(HttpMethod.Post, ConfigMaps, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_ProtobufOver3MiB_Returns413()
    {
        using var content = Protobuf(ConfigMap("big", new string('a', 3 * 1024 * 1024)));
        using var response = await _host.SendAsync(HttpMethod.Post, ConfigMaps, content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Patch_WithProtobufContentType_Returns415()
    {
        using var content = Protobuf(ConfigMap("c2", "x"));
        using var response = await _host.SendAsync(HttpMethod.Patch, ConfigMaps + "/c2", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_GarbageProtobuf_Returns400Status()
    {
        using var content = Protobuf(Encoding.ASCII.GetBytes("k8s\0\x0a\x05ab"));
        using var response = await _host.SendAsync(HttpMethod.Post, ConfigMaps, content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Status", (string?)(await ApiServerTestHost.ReadJsonAsync(response))["kind"]);
    }
}
