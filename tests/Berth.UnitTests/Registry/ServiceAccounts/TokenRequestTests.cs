using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Registry.ServiceAccounts;

public sealed class TokenRequestTests : IDisposable
{
    private readonly TokenTestHost host = new();

    public void Dispose() => host.Dispose();

    [Fact]
    public async Task Create_DefaultAccount_ReturnsTokenWithDefaults()
    {
        var reply = await host.RequestTokenAsync("default").DefaultTimeout();
        Assert.Equal("TokenRequest", reply.GetString("kind"));
        Assert.Equal("authentication.k8s.io/v1", reply.GetString("apiVersion"));
        Assert.Equal("default", reply.GetString("metadata", "name"));
        Assert.Equal(3600, reply.GetLong("spec", "expirationSeconds"));
        Assert.Equal("https://kubernetes.default.svc.cluster.local", (string?)reply.GetArray("spec", "audiences")![0]);
        Assert.Equal("2026-11-28T06:00:00Z", reply.GetString("status", "expirationTimestamp"));
        var claims = await host.Issuer.ValidateAsync(reply.GetString("status", "token")!).DefaultTimeout();
        Assert.NotNull(claims);
        Assert.Equal("system:serviceaccount:default:default", claims.Subject);
        Assert.Null(claims.Pod);
    }

    [Fact]
    public async Task Create_MissingAccount_NotFound()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => host.RequestTokenAsync("ghost")).DefaultTimeout();
        Assert.Equal(404, e.Code);
        Assert.Contains("serviceaccounts \"ghost\" not found", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(599, "may not specify a duration less than 10 minutes")]
    [InlineData(4294967297, "may not specify a duration larger than 2^32 seconds")]
    public async Task Create_ExpirationOutOfRange_InvalidWithFieldPath(long seconds, string detail)
    {
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            host.RequestTokenAsync("default", new JsonObject { ["expirationSeconds"] = seconds })).DefaultTimeout();
        Assert.Equal(422, e.Code);
        var cause = Assert.Single(e.Details!.Causes);
        Assert.Equal("spec.expirationSeconds", cause.Field);
        Assert.Equal("FieldValueInvalid", cause.Reason);
        Assert.Contains(detail, cause.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_ExpirationNotAnInteger_BadRequest()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            host.RequestTokenAsync("default", new JsonObject { ["expirationSeconds"] = "soon" })).DefaultTimeout();
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Create_NameDiffersFromUrl_InvalidMetadataName()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() =>
            host.RequestTokenAsync("default", metadata: new JsonObject { ["name"] = "other" })).DefaultTimeout();
        Assert.Equal(422, e.Code);
        Assert.Equal("metadata.name", Assert.Single(e.Details!.Causes).Field);
    }

    [Fact]
    public async Task Create_BoundToPod_TokenNamesPodAndExpirationKept()
    {
        var pod = await host.CreatePodAsync("web");
        var reply = await host.RequestTokenAsync("default", new JsonObject
        {
            ["expirationSeconds"] = 3607L, ["boundObjectRef"] = TokenTestHost.PodRef("web", pod.GetUid()),
        }).DefaultTimeout();
        Assert.Equal(3607, reply.GetLong("spec", "expirationSeconds"));
        Assert.Equal("web", reply.GetString("spec", "boundObjectRef", "name"));
        var claims = await host.Issuer.ValidateAsync(reply.GetString("status", "token")!).DefaultTimeout();
        Assert.Equal(new Berth.Registry.Core.ServiceAccounts.BoundObject("web", pod.GetUid()!), claims!.Pod);
    }

    [Fact]
    public async Task Create_BoundToDeployment_BadRequest()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => host.RequestTokenAsync("default", new JsonObject
        {
            ["boundObjectRef"] = TokenTestHost.PodRef("web", kind: "Deployment", apiVersion: "apps/v1"),
        })).DefaultTimeout();
        Assert.Equal(400, e.Code);
        Assert.Equal("cannot bind token to object of type apps/v1, Kind=Deployment", e.Message);
    }

    [Fact]
    public async Task Create_BoundPodOfOtherAccount_BadRequest()
    {
        await host.Api.CreateAsync(KindRegistry.ServiceAccounts, TokenTestHost.Ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "robot" } });
        await host.CreatePodAsync("web");
        var e = await Assert.ThrowsAsync<ApiException>(() => host.RequestTokenAsync("robot", new JsonObject
        {
            ["boundObjectRef"] = TokenTestHost.PodRef("web"),
        })).DefaultTimeout();
        Assert.Equal(400, e.Code);
        Assert.Contains("to pod running with different serviceaccount name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_BoundPodUidMismatch_Conflict()
    {
        await host.CreatePodAsync("web");
        var e = await Assert.ThrowsAsync<ApiException>(() => host.RequestTokenAsync("default", new JsonObject
        {
            ["boundObjectRef"] = TokenTestHost.PodRef("web", "not-the-uid"),
        })).DefaultTimeout();
        Assert.Equal(409, e.Code);
    }

    [Fact]
    public async Task Create_BoundPodMissing_NotFound()
    {
        var e = await Assert.ThrowsAsync<ApiException>(() => host.RequestTokenAsync("default", new JsonObject
        {
            ["boundObjectRef"] = TokenTestHost.PodRef("nope"),
        })).DefaultTimeout();
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Create_WithoutIssuer_MethodNotSupported()
    {
        using var bare = new TokenTestHost(withIssuer: false);
        var e = await Assert.ThrowsAsync<ApiException>(() => bare.RequestTokenAsync("default")).DefaultTimeout();
        Assert.Equal(405, e.Code);
    }
}
