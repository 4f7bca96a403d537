using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.ApiServer;

/// <summary>
/// HorizontalPodAutoscaler served as autoscaling/v1 over autoscaling/v2 storage: every verb on the v1 endpoint converts
/// at the edge, and the same object stays readable as v2.
/// </summary>
public sealed class ResourceApiConvertedVersionTests : IAsyncLifetime
{
    private const string V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    private const string V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiServerTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Hpa(string name, int cpu = 50) => $$$"""
        {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"{{{name}}}"},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":3,"targetCPUUtilizationPercentage":{{{cpu}}}}}
        """;

    private async Task<JsonObject> OkAsync(HttpMethod method, string path, HttpContent? content = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _host.SendAsync(method, path, content);
        var body = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.True(response.StatusCode == expected, $"{response.StatusCode}: {body.ToJsonString()}");
        return body;
    }

    [Fact]
    public async Task Create_Get_List_ServedAsV1_StoredAsV2()
    {
        var created = await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web")), HttpStatusCode.Created);
        Assert.Equal("autoscaling/v1", created.GetString("apiVersion"));
        Assert.Equal(50, created.GetLong("spec", "targetCPUUtilizationPercentage"));
        Assert.Equal(1, created.GetLong("spec", "minReplicas"));

        var got = await OkAsync(HttpMethod.Get, V1 + "/web");
        Assert.Equal(created.GetResourceVersion(), got.GetResourceVersion());
        Assert.Equal("autoscaling/v1", got.GetString("apiVersion"));
        var v2 = await OkAsync(HttpMethod.Get, V2 + "/web");
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]""",
            v2.GetArray("spec", "metrics")!.ToJsonString());

        var list = await OkAsync(HttpMethod.Get, V1);
        Assert.Equal("HorizontalPodAutoscalerList", list.GetString("kind"));
        Assert.Equal("autoscaling/v1", list.GetString("apiVersion"));
        Assert.Equal("autoscaling/v1", list.GetArray("items")![0]!.AsObject().GetString("apiVersion"));
    }

    [Fact]
    public async Task Table_PrintsTheStorageVersionColumns()
    {
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web")), HttpStatusCode.Created);
        using var response = await _host.SendAsync(HttpMethod.Get, V1, accept: "application/json;as=Table;v=v1;g=meta.k8s.io");
        var table = await ApiServerTestHost.ReadJsonAsync(response);

        Assert.Equal("Table", table.GetString("kind"));
        Assert.Equal("Targets", table.GetArray("columnDefinitions")![2]!["name"]!.GetValue<string>());
        var cells = table.GetArray("rows")![0]!["cells"]!.AsArray();
        Assert.Equal("web", (string)cells[0]!);
        Assert.Equal("Deployment/web", (string)cells[1]!);
        Assert.EndsWith("/50%", (string)cells[2]!, StringComparison.Ordinal);
        Assert.Equal("1", (string)cells[3]!);
        Assert.Equal(3, (int)cells[4]!);
    }

    [Fact]
    public async Task Update_AndStatusUpdate_ConvertBothWays_V2OnlyFieldsSurvive()
    {
        await OkAsync(HttpMethod.Post, V2, ApiServerTestHost.Json("""
            {"metadata":{"name":"web"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"maxReplicas":3,
             "metrics":[{"type":"Resource","resource":{"name":"memory","target":{"type":"Utilization","averageUtilization":70}}},
                        {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}}],
             "behavior":{"scaleDown":{"stabilizationWindowSeconds":30}}}}
            """), HttpStatusCode.Created);
        var v1 = await OkAsync(HttpMethod.Get, V1 + "/web");
        v1["spec"]!["maxReplicas"] = 7;

        var updated = await OkAsync(HttpMethod.Put, V1 + "/web", ApiServerTestHost.Json(v1.ToJsonString()));
        Assert.Equal(7, updated.GetLong("spec", "maxReplicas"));
        var v2 = await OkAsync(HttpMethod.Get, V2 + "/web");
        Assert.Equal("memory", (string)v2["spec"]!["metrics"]![0]!["resource"]!["name"]!);
        Assert.Equal(2, v2.GetArray("spec", "metrics")!.Count);
        Assert.Equal(30, (int)v2["spec"]!["behavior"]!["scaleDown"]!["stabilizationWindowSeconds"]!);
        Assert.Null(v2.Metadata()["annotations"]);

        updated["status"] = new JsonObject { ["currentReplicas"] = 2, ["desiredReplicas"] = 3, ["currentCPUUtilizationPercentage"] = 40 };
        var status = await OkAsync(HttpMethod.Put, V1 + "/web/status", ApiServerTestHost.Json(updated.ToJsonString()));
        Assert.Equal(40, status.GetLong("status", "currentCPUUtilizationPercentage"));
        v2 = await OkAsync(HttpMethod.Get, V2 + "/web/status");
        Assert.Equal(3, v2.GetLong("status", "desiredReplicas"));
        Assert.Equal(40, (int)v2["status"]!["currentMetrics"]![0]!["resource"]!["current"]!["averageUtilization"]!);
    }

    [Theory]
    [InlineData("application/merge-patch+json", """{"spec":{"targetCPUUtilizationPercentage":75}}""")]
    [InlineData("application/strategic-merge-patch+json", """{"spec":{"targetCPUUtilizationPercentage":75}}""")]
    [InlineData("application/json-patch+json", """[{"op":"replace","path":"/spec/targetCPUUtilizationPercentage","value":75}]""")]
    public async Task Patch_AppliesToTheV1Representation(string mediaType, string patch)
    {
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web")), HttpStatusCode.Created);

        var patched = await OkAsync(HttpMethod.Patch, V1 + "/web", ApiServerTestHost.Json(patch, mediaType));

        Assert.Equal(75, patched.GetLong("spec", "targetCPUUtilizationPercentage"));
        var v2 = await OkAsync(HttpMethod.Get, V2 + "/web");
        Assert.Equal(75, (int)v2["spec"]!["metrics"]![0]!["resource"]!["target"]!["averageUtilization"]!);
    }

    [Fact]
    public async Task Patch_StaleResourceVersion_Is409_Apply_Is415()
    {
        var created = await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web")), HttpStatusCode.Created);
        await OkAsync(HttpMethod.Patch, V1 + "/web", ApiServerTestHost.Json("""{"spec":{"maxReplicas":4}}""", "application/merge-patch+json"));

        var stale = $$$"""{"metadata":{"resourceVersion":"{{{created.GetResourceVersion()}}}"},"spec":{"maxReplicas":5}}""";
        await OkAsync(HttpMethod.Patch, V1 + "/web", ApiServerTestHost.Json(stale, "application/merge-patch+json"), HttpStatusCode.Conflict);
        var apply = await OkAsync(HttpMethod.Patch, V1 + "/web?fieldManager=m", ApiServerTestHost.Json(Hpa("web"), "application/apply-patch+yaml"),
            HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Status", apply.GetString("kind"));
    }

    [Fact]
    public async Task Invalid_Is422_UnknownFieldStrict_Is400_WrongContentType_Is415()
    {
        var invalid = await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web", cpu: 0)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("averageUtilization", invalid.GetString("message"), StringComparison.Ordinal);

        var unknown = Hpa("web").Replace("\"maxReplicas\":3", "\"maxReplicas\":3,\"bogus\":1", StringComparison.Ordinal);
        var strict = await OkAsync(HttpMethod.Post, V1 + "?fieldValidation=Strict", ApiServerTestHost.Json(unknown), HttpStatusCode.BadRequest);
        Assert.Contains("unknown field \"spec.bogus\"", strict.GetString("message"), StringComparison.Ordinal);

        var wrongType = Hpa("web").Replace("\"maxReplicas\":3", "\"maxReplicas\":\"three\"", StringComparison.Ordinal);
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(wrongType), HttpStatusCode.BadRequest);
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web").Replace("autoscaling/v1", "autoscaling/v2", StringComparison.Ordinal)),
            HttpStatusCode.BadRequest);
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("web"), "text/plain"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Delete_AndDeleteCollection()
    {
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("a")), HttpStatusCode.Created);
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("b")), HttpStatusCode.Created);
        await OkAsync(HttpMethod.Post, V1, ApiServerTestHost.Json(Hpa("c")), HttpStatusCode.Created);

        var deleted = await OkAsync(HttpMethod.Delete, V1 + "/a");
        Assert.Equal("Success", deleted.GetString("status"));
        var collection = await OkAsync(HttpMethod.Delete, V1);
        Assert.Equal("autoscaling/v1", collection.GetString("apiVersion"));
        Assert.Equal(2, collection.GetArray("items")!.Count);
        Assert.Empty((await _host.Api.ListAsync(KindRegistry.HorizontalPodAutoscalers, "default")).Items);
    }

    [Fact]
    public async Task Watch_EachEventInV1_ResourceVersionsAsStored()
    {
        var rv = _host.Store.CurrentRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Get, $"{V1}?watch=true&resourceVersion={rv}");
        using var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).DefaultTimeout();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        var created = await OkAsync(HttpMethod.Post, V2, ApiServerTestHost.Json(Hpa("web").Replace("autoscaling/v1", "autoscaling/v2", StringComparison.Ordinal)
            .Replace(",\"targetCPUUtilizationPercentage\":50", "", StringComparison.Ordinal)), HttpStatusCode.Created);
        await OkAsync(HttpMethod.Delete, V2 + "/web");

        var added = JsonNode.Parse((await reader.ReadLineAsync().DefaultTimeout())!)!.AsObject();
        Assert.Equal("ADDED", added.GetString("type"));
        var obj = added.GetObject("object")!;
        Assert.Equal("autoscaling/v1", obj.GetString("apiVersion"));
        Assert.Equal(80, obj.GetLong("spec", "targetCPUUtilizationPercentage"));
        Assert.Equal(created.GetResourceVersion(), obj.GetResourceVersion());
        var gone = JsonNode.Parse((await reader.ReadLineAsync().DefaultTimeout())!)!.AsObject();
        Assert.Equal("DELETED", gone.GetString("type"));
        Assert.Equal("autoscaling/v1", gone.GetObject("object")!.GetString("apiVersion"));
    }
}
