using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Berth.ApiServer.Auth;
using Berth.Registry.Rbac;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.UnitTests.ApiServer.Auth;

/// <summary>The self-review APIs on a real Kestrel, behind the server's error middleware.</summary>
public sealed class SelfReviewEndpointsTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddRbacAuthorization();
        _app = builder.Build();
        _app.Services.GetRequiredService<RbacPolicyHolder>().Publish(RbacPolicyBuilder.Build(
            [Json("""{"metadata":{"name":"cluster-admin"},"rules":[{"apiGroups":["*"],"resources":["*"],"verbs":["*"]},{"nonResourceURLs":["*"],"verbs":["*"]}]}""")],
            [],
            [Json("""{"metadata":{"name":"cluster-admin"},"roleRef":{"kind":"ClusterRole","name":"cluster-admin"},"subjects":[{"kind":"Group","name":"system:masters"}]}""")],
            []));
        _app.UseMiddleware<Berth.Server.Http.ApiErrorMiddleware>();
        _app.MapSelfReviews();
        await _app.StartAsync().DefaultTimeout();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address), Timeout = AsyncTestHelpers.DefaultWait };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task AccessReview_Administrator_AllowedWithTheSpecEchoed()
    {
        var spec = new JsonObject { ["resourceAttributes"] = new JsonObject { ["verb"] = "delete", ["resource"] = "pods", ["namespace"] = "x" } };

        var (code, reply) = await PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
            new JsonObject { ["apiVersion"] = "authorization.k8s.io/v1", ["kind"] = "SelfSubjectAccessReview", ["spec"] = spec });

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("SelfSubjectAccessReview", (string?)reply["kind"]);
        Assert.True((bool)reply["status"]!["allowed"]!);
        Assert.True(JsonNode.DeepEquals(spec, reply["spec"]));
    }

    [Fact]
    public async Task RulesReview_MastersBoundToClusterAdmin_EverythingOnEveryResourceAndUrl()
    {
        var (code, reply) = await PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
            new JsonObject { ["spec"] = new JsonObject { ["namespace"] = "default" } });

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("*", (string?)reply["status"]!["resourceRules"]![0]!["resources"]![0]);
        Assert.Equal("*", (string?)reply["status"]!["nonResourceRules"]![0]!["nonResourceURLs"]![0]);
        Assert.False((bool)reply["status"]!["incomplete"]!);
    }

    [Fact]
    public async Task SubjectReview_TheKubeconfigUserInSystemMasters()
    {
        var (code, reply) = await PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", new JsonObject());

        Assert.Equal(HttpStatusCode.Created, code);
        Assert.Equal("berth-admin", (string?)reply["status"]!["userInfo"]!["username"]);
        Assert.Equal("system:masters", (string?)reply["status"]!["userInfo"]!["groups"]![0]);
        Assert.Null(reply["spec"]);
    }

    [Fact]
    public async Task AccessReview_MalformedJson_BadRequestStatus()
    {
        using var content = new StringContent("{\"spec\":", System.Text.Encoding.UTF8, "application/json");
        using var response = await _client.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", content).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Status", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["kind"]);
    }

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private async Task<(HttpStatusCode Code, JsonNode Reply)> PostAsync(string path, JsonObject body)
    {
        using var response = await _client.PostAsJsonAsync(path, body).DefaultTimeout();
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
