using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.ApiServer;

public sealed class ResourceApiWriteTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiServerTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<HttpResponseMessage> Post(string body, string query = "", string mediaType = "application/json") =>
        _host.SendAsync(HttpMethod.Post, Pods + query, ApiServerTestHost.Json(body, mediaType));

    private static async Task<string?> Message(HttpResponseMessage response) =>
        (await ApiServerTestHost.ReadJsonAsync(response)).GetString("message");

    [Fact]
    public async Task Post_ValidPod_Returns201WithStoredObject()
    {
        using var response = await Post(ApiServerTestHost.Pod("a").ToJsonString(), "?fieldManager=kubectl-create&fieldValidation=Strict");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var pod = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.NotNull(pod.GetUid());
        Assert.NotNull(pod.GetResourceVersion());
    }

    [Fact]
    public async Task Post_Yaml_Returns201()
    {
        const string yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: yaml-pod\nspec:\n  containers:\n  - name: c\n    image: \"nginx\"\n";
        using var response = await Post(yaml, mediaType: "application/yaml");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOver3MiB_Returns413()
    {
        var big = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "big" }, ["data"] = new JsonObject { ["x"] = new string('a', 3 * 1024 * 1024) } };
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", ApiServerTestHost.Json(big.ToJsonString()));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("Request entity too large: limit is 3145728", await Message(response));
    }

    [Fact]
    public async Task Post_MalformedProtobuf_Returns400()
    {
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes("k8s\0junk"));
        content.Headers.ContentType = new("application/vnd.kubernetes.protobuf");
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/namespaces", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("the protobuf request body could not be decoded", await Message(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_UnknownContentType_Returns415()
    {
        using var response = await Post("a=b", mediaType: "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Post_MalformedJson_Returns400()
    {
        using var response = await Post("{\"metadata\": ");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("the request body is not valid JSON", await Message(response));
    }

    [Fact]
    public async Task Post_Invalid_Returns422WithCauses()
    {
        var pod = ApiServerTestHost.Pod("bad");
        pod["spec"] = new JsonObject { ["containers"] = new JsonArray() };
        using var response = await Post(pod.ToJsonString());
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var status = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal("Invalid", status.GetString("reason"));
        Assert.Equal("Pod", status.GetString("details", "kind"));
        Assert.NotEmpty(status.GetArray("details", "causes")!);
    }

    [Fact]
    public async Task Post_IntoMissingNamespace_Returns404()
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/namespaces/nope/pods", ApiServerTestHost.Json(ApiServerTestHost.Pod("a").ToJsonString()));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("namespaces \"nope\" not found", await Message(response));
    }

    [Fact]
    public async Task Post_StrictUnknownField_Returns400()
    {
        var pod = ApiServerTestHost.Pod("a");
        pod["spec"]!["foo"] = "bar";
        using var response = await Post(pod.ToJsonString(), "?fieldValidation=Strict");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: unknown field \"spec.foo\"", await Message(response));
    }

    [Fact]
    public async Task Post_WarnUnknownField_SendsEscapedWarningHeader()
    {
        var pod = ApiServerTestHost.Pod("a");
        pod["spec"]!["foo"] = "bar";
        using var response = await Post(pod.ToJsonString(), "?fieldValidation=Warn");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("299 - \"unknown field \\\"spec.foo\\\"\"", Assert.Single(response.Headers.GetValues("Warning")));
    }

    [Fact]
    public async Task Post_StrictDuplicateField_Returns400()
    {
        const string body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"d","name":"e"},"spec":{"containers":[{"name":"c","image":"x"}]}}""";
        using var response = await Post(body, "?fieldValidation=Strict");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: duplicate field \"metadata.name\"", await Message(response));
    }

    [Fact]
    public async Task Post_IgnoreDuplicateField_LastOneWins()
    {
        const string body = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"d","name":"e"},"spec":{"containers":[{"name":"c","image":"x"}]}}""";
        using var response = await Post(body, "?fieldValidation=Ignore");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("e", (await ApiServerTestHost.ReadJsonAsync(response)).GetName());
        Assert.False(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Put_StaleResourceVersion_Returns409()
    {
        var created = await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
        await _host.Api.PatchAsync(KindRegistry.Pods, "default", "a", Berth.Registry.PatchType.Merge, JsonNode.Parse("""{"metadata":{"labels":{"x":"y"}}}""")!);
        using var response = await _host.SendAsync(HttpMethod.Put, Pods + "/a", ApiServerTestHost.Json(created.ToJsonString()));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(
            "Operation cannot be fulfilled on pods \"a\": the object has been modified; please apply your changes to the latest version and try again",
            await Message(response));
    }

    [Fact]
    public async Task Patch_StrategicMerge_Returns200()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
        using var response = await _host.SendAsync(HttpMethod.Patch, Pods + "/a",
            ApiServerTestHost.Json("""{"metadata":{"labels":{"tier":"front"}}}""", "application/strategic-merge-patch+json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("front", (await ApiServerTestHost.ReadJsonAsync(response)).GetLabels()["tier"]);
    }

    [Fact]
    public async Task Patch_ApplyOnMissingObject_Returns201()
    {
        using var response = await _host.SendAsync(HttpMethod.Patch, Pods + "/applied?fieldManager=kubectl&force=false",
            ApiServerTestHost.Json(ApiServerTestHost.Pod("applied").ToJsonString(), "application/apply-patch+yaml"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Patch_ApplyCreatesPod_RunsCreateAdmission()
    {
        await _host.Api.CreateAsync(KindRegistry.PriorityClasses, null, JsonNode.Parse("""{"metadata":{"name":"high"},"value":5}""")!.AsObject());
        var known = ApiServerTestHost.Pod("ranked");
        known["spec"]!["priorityClassName"] = "high";
        var unknown = ApiServerTestHost.Pod("unranked");
        unknown["spec"]!["priorityClassName"] = "nope";

        using var created = await _host.SendAsync(HttpMethod.Patch, Pods + "/ranked?fieldManager=kubectl",
            ApiServerTestHost.Json(known.ToJsonString(), "application/apply-patch+yaml"));
        using var refused = await _host.SendAsync(HttpMethod.Patch, Pods + "/unranked?fieldManager=kubectl",
            ApiServerTestHost.Json(unknown.ToJsonString(), "application/apply-patch+yaml"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pod = await ApiServerTestHost.ReadJsonAsync(created);
        Assert.Equal(5, (int)pod["spec"]!["priority"]!);
        Assert.Equal("kubectl", (string?)pod["metadata"]!["managedFields"]![0]!["manager"]);
        Assert.Single(pod["metadata"]!["managedFields"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("pods \"unranked\" is forbidden: no PriorityClass with name nope was found", await Message(refused));
    }

    [Fact]
    public async Task Patch_ApplyWithoutFieldManager_Returns422()
    {
        using var response = await _host.SendAsync(HttpMethod.Patch, Pods + "/applied",
            ApiServerTestHost.Json(ApiServerTestHost.Pod("applied").ToJsonString(), "application/apply-patch+yaml"));
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
    }

    [Fact]
    public async Task Patch_UnsupportedPatchType_Returns415()
    {
        using var response = await _host.SendAsync(HttpMethod.Patch, Pods + "/a", ApiServerTestHost.Json("{}"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Patch_ScaleMergePatch_ReturnsScale()
    {
        await _host.Api.CreateAsync(KindRegistry.Deployments, "default", JsonNode.Parse("""
            {"metadata":{"name":"web"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """)!.AsObject());
        using var response = await _host.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/default/deployments/web/scale",
            ApiServerTestHost.Json("""{"spec":{"replicas":3}}""", "application/merge-patch+json"));
        var scale = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(("Scale", 3L), (scale.GetString("kind"), scale.GetLong("spec", "replicas")));
    }

    [Fact]
    public async Task Delete_PodWithBodyOptions_ReturnsPodWithDeletionFields()
    {
        var pod = ApiServerTestHost.Pod("a");
        pod["spec"]!["nodeName"] = "node1";
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", pod);
        using var response = await _host.SendAsync(HttpMethod.Delete, Pods + "/a",
            ApiServerTestHost.Json("""{"gracePeriodSeconds":5,"propagationPolicy":"Background"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(("Pod", 5L), (body.GetString("kind"), body.GetLong("metadata", "deletionGracePeriodSeconds")));
    }

    [Fact]
    public async Task Delete_ConfigMap_ReturnsSuccessStatusWithDetails()
    {
        var cm = await _host.Api.CreateAsync(KindRegistry.ConfigMaps, "default", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "cm" } });
        using var response = await _host.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/default/configmaps/cm");
        var status = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(("Status", "Success"), (status.GetString("kind"), status.GetString("status")));
        Assert.Equal(("cm", "configmaps", cm.GetUid()), (status.GetString("details", "name"), status.GetString("details", "kind"), status.GetString("details", "uid")));
    }

    [Fact]
    public async Task DeleteCollection_LabelSelector_DeletesMatchingOnly()
    {
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("a"));
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("b"));
        using var response = await _host.SendAsync(HttpMethod.Delete, Pods + "?labelSelector=app%3Da");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("PodList", (await ApiServerTestHost.ReadJsonAsync(response)).GetString("kind"));
        var left = await _host.Api.ListAsync(KindRegistry.Pods, "default");
        Assert.Equal("b", Assert.Single(left.Items).GetName());
    }

    [Fact]
    public async Task DeleteCollection_Namespaces_Is405AndDeletesNothing()
    {
        await _host.Api.CreateAsync(KindRegistry.Namespaces, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "keep" } });
        using var response = await _host.SendAsync(HttpMethod.Delete, "/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("deletecollection is not supported on resources of kind \"namespaces\"", await Message(response));
        var ns = await _host.Api.GetAsync(KindRegistry.Namespaces, null, "keep");
        Assert.Null(ns.GetString("metadata", "deletionTimestamp"));
        Assert.DoesNotContain("deletecollection", KindRegistry.Namespaces.Verbs);
    }

    [Fact]
    public async Task Post_InvalidUtf8_Returns400()
    {
        using var content = new ByteArrayContent([(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xff, (byte)'"', (byte)'}']);
        content.Headers.ContentType = new("application/json");
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/configmaps", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("the request body is not valid UTF-8", await Message(response));
    }
}
