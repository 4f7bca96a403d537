using System.Text.Json.Nodes;
using Berth.ApiServer.OpenApi;
using Berth.Machinery.Kinds;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.ApiServer.OpenApi;

public sealed class OpenApiV3Tests
{
    private static readonly OpenApiV3Catalog Catalog = new(KindRegistry.AllKinds);

    [Fact]
    public void Root_ListsEveryGroupVersionWithHash()
    {
        var paths = JsonNode.Parse(Catalog.Root)!["paths"]!.AsObject();
        var expected = KindRegistry.GroupVersions.Select(gv => OpenApiV3Catalog.RelativePath(gv.Group, gv.Version)).ToList();
        Assert.Equal(expected, paths.Select(p => p.Key).ToList());
        Assert.Contains("api/v1", expected);
        foreach (var (key, value) in paths)
        {
            Assert.True(Catalog.TryGet(key, out _, out var hash));
            Assert.Equal($"/openapi/v3/{key}?hash={hash}", (string?)value!["serverRelativeURL"]);
        }
    }

    [Fact]
    public void Catalog_BuiltTwice_HasSameHashes()
    {
        var again = new OpenApiV3Catalog(KindRegistry.AllKinds);
        Assert.True(again.TryGet("apis/apps/v1", out _, out var hash2));
        Assert.True(Catalog.TryGet("apis/apps/v1", out _, out var hash1));
        Assert.Equal(hash1, hash2);
        Assert.Equal(Catalog.Root, again.Root);
    }

    [Fact]
    public void GroupVersionDocument_EveryKind_HasPatchWithGvkAndFieldValidation()
    {
        foreach (var gv in KindRegistry.AllKinds.GroupBy(k => (k.Group, k.Version)))
        {
            Assert.True(Catalog.TryGet(OpenApiV3Catalog.RelativePath(gv.Key.Group, gv.Key.Version), out var body, out _));
            var doc = JsonNode.Parse(body)!.AsObject();
            Assert.Equal("3.0.0", (string?)doc["openapi"]);
            foreach (var kind in gv)
            {
                var patch = doc["paths"]![OpenApiV3Document.ItemPath(kind)]!["patch"]!;
                var gvk = patch["x-kubernetes-group-version-kind"]!;
                Assert.Equal((kind.Group, kind.Version, kind.Kind), ((string)gvk["group"]!, (string)gvk["version"]!, (string)gvk["kind"]!));
                Assert.Contains(patch["parameters"]!.AsArray(), p => (string?)p!["name"] == "fieldValidation" && (string?)p["in"] == "query");
            }
        }
    }

    [Fact]
    public void GroupVersionDocument_Generated_SchedulesOneTrimPerDocument()
    {
        var trims = new CountingTrims();
        var catalog = new OpenApiV3Catalog(KindRegistry.AllKinds, trims: trims);
        Assert.NotEmpty(catalog.Root);
        Assert.Equal(0, trims.Count);

        Assert.True(catalog.TryGet("apis/policy/v1", out _, out _));
        Assert.True(catalog.TryGet("apis/policy/v1", out _, out _));
        Assert.Equal(1, trims.Count);
    }

    private sealed class CountingTrims : Berth.ApiServer.IMemoryTrimScheduler
    {
        public int Count;

        public void ScheduleTrim() => Interlocked.Increment(ref Count);
    }

    [Fact]
    public void ItemPath_NamespacedAndCluster()
    {
        Assert.Equal("/api/v1/namespaces/{namespace}/pods/{name}", OpenApiV3Document.ItemPath(KindRegistry.Pods));
        Assert.Equal("/api/v1/namespaces/{name}", OpenApiV3Document.ItemPath(KindRegistry.Namespaces));
        Assert.Equal("/apis/apps/v1/namespaces/{namespace}/deployments/{name}", OpenApiV3Document.ItemPath(KindRegistry.Deployments));
    }

    [Fact]
    public async Task GroupVersion_MatchingHash_IsImmutable()
    {
        Assert.True(Catalog.TryGet("api/v1", out _, out var hash));
        var context = HttpContextFactory.Create("/openapi/v3/api/v1", query: "?hash=" + hash);
        await OpenApiHandlers.GroupVersion(context, Catalog, new FakeTimeProvider(), "api/v1").DefaultTimeout();
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("public, immutable", context.Response.Headers.CacheControl.ToString());
        Assert.Equal("application/json", context.Response.ContentType);
    }

    [Fact]
    public async Task GroupVersion_StaleHash_RedirectsToCurrent()
    {
        Assert.True(Catalog.TryGet("apis/apps/v1", out _, out var hash));
        var context = HttpContextFactory.Create("/openapi/v3/apis/apps/v1", query: "?hash=OLD");
        await OpenApiHandlers.GroupVersion(context, Catalog, new FakeTimeProvider(), "apis/apps/v1").DefaultTimeout();
        Assert.Equal(301, context.Response.StatusCode);
        Assert.Equal($"/openapi/v3/apis/apps/v1?hash={hash}", context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task GroupVersion_Unknown_Returns404Status()
    {
        var context = HttpContextFactory.Create("/openapi/v3/apis/nope/v1");
        await OpenApiHandlers.GroupVersion(context, Catalog, new FakeTimeProvider(), "apis/nope/v1").DefaultTimeout();
        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal("Status", (string?)HttpContextFactory.BodyJson(context)["kind"]);
    }
}
