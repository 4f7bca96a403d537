using System.Net;
using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.ApiServer;

public sealed class ResourceApiReadTests : IAsyncLifetime
{
    private const string TableAccept =
        "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

    private ApiServerTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiServerTestHost.StartAsync();
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("nginx"));
        await _host.Api.CreateAsync(KindRegistry.Pods, "default", ApiServerTestHost.Pod("web"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Get_PlainJson_ReturnsStoredObject()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/nginx", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var pod = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(("Pod", "v1", "nginx"), (pod["kind"]!.GetValue<string>(), pod["apiVersion"]!.GetValue<string>(), pod.GetName()));
    }

    [Fact]
    public async Task Get_TableAccept_ReturnsTableWithPartialObjectMetadata()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/nginx", accept: TableAccept);
        var table = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(("Table", "meta.k8s.io/v1"), (table["kind"]!.GetValue<string>(), table["apiVersion"]!.GetValue<string>()));
        Assert.NotEmpty(table.GetArray("columnDefinitions")!);
        var row = Assert.Single(table.GetArray("rows")!)!.AsObject();
        Assert.Equal("nginx", row["cells"]![0]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", row.GetString("object", "kind"));
        Assert.Equal("default", row.GetString("object", "metadata", "namespace"));
    }

    [Fact]
    public async Task List_TableAcceptWithIncludeObjectNone_OmitsObjects()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods?includeObject=None", accept: TableAccept);
        var table = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(2, table.GetArray("rows")!.Count);
        Assert.All(table.GetArray("rows")!, r => Assert.Null(r!["object"]));
        Assert.NotNull(table.GetString("metadata", "resourceVersion"));
    }

    [Theory]
    [InlineData("application/vnd.kubernetes.protobuf,application/json")]
    [InlineData("application/json, */*")]
    [InlineData("*/*")]
    public async Task Get_AcceptListsWithJson_AnswerJson(string accept)
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/nginx", accept: accept);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Pod", (await ApiServerTestHost.ReadJsonAsync(response))["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task Get_OnlyUnsupportedAccept_Returns406()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/nginx", accept: "application/vnd.kubernetes.protobuf");
        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("NotAcceptable", (await ApiServerTestHost.ReadJsonAsync(response)).GetString("reason"));
    }

    [Fact]
    public async Task Get_Missing_Returns404StatusAsKubectlPrintsIt()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods/nope");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal("Status", status.GetString("kind"));
        Assert.Equal("Failure", status.GetString("status"));
        Assert.Equal("pods \"nope\" not found", status.GetString("message"));
        Assert.Equal("NotFound", status.GetString("reason"));
        Assert.Equal("pods", status.GetString("details", "kind"));
        Assert.Equal(404, status["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task List_PlainJson_ReturnsPodListWithStampedItems()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/pods?limit=500");
        var list = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal(("PodList", "v1"), (list["kind"]!.GetValue<string>(), list["apiVersion"]!.GetValue<string>()));
        Assert.Equal(_host.Store.CurrentRevision.ToString(), list.GetString("metadata", "resourceVersion"));
        Assert.Equal(["nginx", "web"], list.GetArray("items")!.Select(i => i!.AsObject().GetName()));
        Assert.All(list.GetArray("items")!, i => Assert.Equal("Pod", i!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_AllNamespacesWithSelectors_Filters()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/pods?labelSelector=app%3Dweb&fieldSelector=metadata.namespace%3Ddefault");
        var list = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal("web", Assert.Single(list.GetArray("items")!)!.AsObject().GetName());
    }

    [Fact]
    public async Task List_BadFieldSelector_Returns400()
    {
        using var response = await _host.SendAsync(HttpMethod.Get, "/api/v1/namespaces/default/configmaps?fieldSelector=spec.nodeName%3Dx");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("\"spec.nodeName\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
            (await ApiServerTestHost.ReadJsonAsync(response)).GetString("message"));
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/widgets")]
    [InlineData("/api/v1/namespaces/default/pods/nginx/log")]
    [InlineData("/api/v1/namespaces/default/pods/nginx/exec")]
    [InlineData("/api/v1/pods/nginx")]
    [InlineData("/apis/apps/v2/namespaces/default/deployments")]
    public async Task Get_UnservedPath_Returns404(string path)
    {
        using var response = await _host.SendAsync(HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("the server could not find the requested resource", (await ApiServerTestHost.ReadJsonAsync(response)).GetString("message"));
    }

    [Fact]
    public async Task Post_ClusterWidePathOfNamespacedKind_Returns405()
    {
        using var response = await _host.SendAsync(HttpMethod.Post, "/api/v1/pods", ApiServerTestHost.Json(ApiServerTestHost.Pod("x").ToJsonString()));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task GetScale_Deployment_ReturnsAutoscalingScale()
    {
        await _host.Api.CreateAsync(KindRegistry.Deployments, "default", JsonNode.Parse("""
            {"metadata":{"name":"web"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
             "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """)!.AsObject());
        using var response = await _host.SendAsync(HttpMethod.Get, "/apis/apps/v1/namespaces/default/deployments/web/scale");
        var scale = await ApiServerTestHost.ReadJsonAsync(response);
        Assert.Equal("Scale", scale.GetString("kind"));
        Assert.Equal("app=web", scale.GetString("status", "selector"));
    }
}
