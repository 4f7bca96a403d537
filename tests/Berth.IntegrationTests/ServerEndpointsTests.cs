using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Berth.IntegrationTests;

/// <summary>The real server in process (memory store, port 0), reached over HTTPS with the generated CA.</summary>
public sealed class ServerEndpointsTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private TestServerHost Host => fixture.Host;

    [Fact]
    public async Task Version_OfficialClientFromKubeconfig_ReportsMinor32()
    {
        using var client = Host.CreateKubernetesClient();
        var version = await client.Version.GetCodeAsync().DefaultTimeout();
        Assert.Equal("1", version.Major);
        Assert.Equal("32", version.Minor);
        Assert.Equal("v1.32.0-berth", version.GitVersion);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    public async Task Health_WithoutToken_IsOk(string path)
    {
        using var http = Host.CreateHttpClient(authenticated: false);
        using var response = await http.GetAsync(path).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync().DefaultTimeout());
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/apis")]
    [InlineData("/openapi/v3")]
    [InlineData("/api/v1/namespaces")]
    public async Task Protected_WithoutToken_Returns401Status(string path)
    {
        using var http = Host.CreateHttpClient(authenticated: false);
        using var response = await http.GetAsync(path).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout())!;
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Unauthorized", (string?)status["reason"]);
    }

    [Theory]
    [InlineData("v2")]
    [InlineData("v2beta1")]
    public async Task Apis_AggregatedAccept_AnswersNegotiatedVersion(string version)
    {
        using var http = Host.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept",
            $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList,application/json");
        using var response = await http.SendAsync(request).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList",
            response.Content.Headers.NonValidated["Content-Type"].ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout())!;
        Assert.Equal($"apidiscovery.k8s.io/{version}", (string?)body["apiVersion"]);
    }

    [Fact]
    public async Task OpenApi_RootThenHashedDocument_IsImmutable()
    {
        using var http = Host.CreateHttpClient();
        var root = JsonNode.Parse(await http.GetStringAsync("/openapi/v3").DefaultTimeout())!;
        var url = (string)root["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!;
        using var response = await http.GetAsync(url).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.Public);
        Assert.Contains("immutable", response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task OpenApiV2_ProtobufJsonOrNotAcceptable()
    {
        using var http = Host.CreateHttpClient();
        using var protobuf = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        protobuf.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        using (var response = await http.SendAsync(protobuf).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/com.github.proto-openapi.spec.v2.v1.0+protobuf", response.Content.Headers.ContentType?.ToString());
            Assert.Equal((byte)0x0A, (await response.Content.ReadAsByteArrayAsync().DefaultTimeout())[0]);
        }
        using (var response = await http.GetAsync("/openapi/v2").DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var doc = JsonNode.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout())!;
            Assert.Equal("2.0", (string?)doc["swagger"]);
        }
        using var text = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        text.Headers.TryAddWithoutValidation("Accept", "text/plain");
        using (var response = await http.SendAsync(text).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout())!;
            Assert.Equal("NotAcceptable", (string?)status["reason"]);
        }
    }

    [Fact]
    public async Task UnknownPath_Returns404Status()
    {
        using var http = Host.CreateHttpClient();
        using var response = await http.GetAsync("/no/such/path").DefaultTimeout();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout())!;
        Assert.Equal("NotFound", (string?)status["reason"]);
    }

    [Fact]
    public async Task Http2_OverTls_IsNegotiated()
    {
        using var http = Host.CreateHttpClient(httpVersion: HttpVersion.Version20);
        using var response = await http.GetAsync("/version").DefaultTimeout();
        Assert.Equal(HttpVersion.Version20, response.Version);
    }

    [Fact]
    public void BaseAddress_IsLoopbackWithBoundPort()
    {
        Assert.Equal("https", Host.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", Host.BaseAddress.Host);
        Assert.NotEqual(0, Host.BaseAddress.Port);
    }
}
