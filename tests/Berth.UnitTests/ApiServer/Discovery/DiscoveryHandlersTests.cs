using Berth.ApiServer.Discovery;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.ApiServer.Discovery;

public sealed class DiscoveryHandlersTests
{
    private static readonly DiscoveryDocuments Documents = new(KindRegistry.AllKinds);

    [Theory]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json", "v2")]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json", "v2beta1")]
    public async Task LegacyGroup_AggregatedAccept_EchoesVersionInContentTypeAndBody(string accept, string version)
    {
        var context = HttpContextFactory.Create("/api", accept);
        await DiscoveryHandlers.LegacyGroup(context, Documents).DefaultTimeout();
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal($"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList", context.Response.ContentType);
        Assert.Equal($"apidiscovery.k8s.io/{version}", (string?)HttpContextFactory.BodyJson(context)["apiVersion"]);
        Assert.Equal("Accept", context.Response.Headers.Vary.ToString());
    }

    [Fact]
    public async Task LegacyGroup_PlainJson_ReturnsApiVersions()
    {
        var context = HttpContextFactory.Create("/api", "application/json, */*");
        await DiscoveryHandlers.LegacyGroup(context, Documents).DefaultTimeout();
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("APIVersions", (string?)body["kind"]);
        Assert.Equal("v1", (string?)body["versions"]![0]);
        Assert.Equal("127.0.0.1:6443", (string?)body["serverAddressByClientCIDRs"]![0]!["serverAddress"]);
    }

    [Fact]
    public async Task NamedGroups_PlainJson_ReturnsApiGroupList()
    {
        var context = HttpContextFactory.Create("/apis", "application/json");
        await DiscoveryHandlers.NamedGroups(context, Documents).DefaultTimeout();
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal("APIGroupList", (string?)body["kind"]);
        Assert.Contains(body["groups"]!.AsArray(), g => (string?)g!["name"] == "apps");
    }

    [Fact]
    public async Task NamedGroups_UnservableAccept_Returns406Status()
    {
        var context = HttpContextFactory.Create("/apis", "text/html");
        await DiscoveryHandlers.NamedGroups(context, Documents).DefaultTimeout();
        Assert.Equal(406, context.Response.StatusCode);
        Assert.Equal("NotAcceptable", (string?)HttpContextFactory.BodyJson(context)["reason"]);
    }

    [Fact]
    public async Task ResourceList_UnknownGroup_Returns404Status()
    {
        var context = HttpContextFactory.Create("/apis/nope.io/v1");
        await DiscoveryHandlers.ResourceList(context, Documents, "nope.io", "v1").DefaultTimeout();
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal(404, context.Response.StatusCode);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("the server could not find the requested resource", (string?)body["message"]);
    }

    [Fact]
    public async Task ResourceList_CoreV1_ReturnsApiResourceList()
    {
        var context = HttpContextFactory.Create("/api/v1");
        await DiscoveryHandlers.ResourceList(context, Documents, "", "v1").DefaultTimeout();
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal("APIResourceList", (string?)body["kind"]);
        Assert.Contains(body["resources"]!.AsArray(), r => (string?)r!["name"] == "pods/exec" && (string?)r["kind"] == "PodExecOptions");
    }

    [Fact]
    public async Task Group_Apps_ReturnsApiGroup()
    {
        var context = HttpContextFactory.Create("/apis/apps");
        await DiscoveryHandlers.Group(context, Documents, "apps").DefaultTimeout();
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal("APIGroup", (string?)body["kind"]);
        Assert.Equal("apps/v1", (string?)body["preferredVersion"]!["groupVersion"]);
    }

    [Fact]
    public async Task Version_ReportsMinor32()
    {
        var context = HttpContextFactory.Create("/version");
        await DiscoveryHandlers.Version(context).DefaultTimeout();
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal("1", (string?)body["major"]);
        Assert.Equal("32", (string?)body["minor"]);
        Assert.StartsWith("v1.32.", (string?)body["gitVersion"]);
        Assert.Matches(@"^[a-z]+/[a-z0-9]+$", (string?)body["platform"]);
    }
}
