using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;

namespace Berth.UnitTests.Registry.ServiceAccounts;

public sealed class ServiceAccountTokenAuthenticatorTests : IDisposable
{
    private readonly TokenTestHost host = new();

    public void Dispose() => host.Dispose();

    private async Task<string> TokenAsync(JsonObject? spec = null) =>
        (await host.RequestTokenAsync("default", spec).DefaultTimeout()).GetString("status", "token")!;

    [Fact]
    public async Task AuthenticateAsync_ValidToken_ReturnsAccount()
    {
        var claims = await host.Authenticator.AuthenticateAsync(await TokenAsync(), default).DefaultTimeout();
        Assert.Equal("system:serviceaccount:default:default", claims!.Subject);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"], claims.Groups);
    }

    [Fact]
    public async Task AuthenticateAsync_AfterExpiry_ReturnsNull()
    {
        var token = await TokenAsync(new JsonObject { ["expirationSeconds"] = 600L });
        host.Time.Advance(TimeSpan.FromSeconds(601));
        Assert.Null(await host.Authenticator.AuthenticateAsync(token, default).DefaultTimeout());
    }

    [Fact]
    public async Task AuthenticateAsync_AccountRecreated_ReturnsNull()
    {
        var token = await TokenAsync();
        await host.Api.DeleteAsync(KindRegistry.ServiceAccounts, TokenTestHost.Ns, "default");
        await host.Api.CreateAsync(KindRegistry.ServiceAccounts, TokenTestHost.Ns, new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } });
        Assert.Null(await host.Authenticator.AuthenticateAsync(token, default).DefaultTimeout());
    }

    [Fact]
    public async Task AuthenticateAsync_BoundPodDeleted_ReturnsNull()
    {
        var pod = await host.CreatePodAsync("web");
        var token = await TokenAsync(new JsonObject { ["boundObjectRef"] = TokenTestHost.PodRef("web", pod.GetUid()) });
        Assert.NotNull(await host.Authenticator.AuthenticateAsync(token, default).DefaultTimeout());
        await host.Api.DeleteAsync(KindRegistry.Pods, TokenTestHost.Ns, "web", new DeleteOptions(GracePeriodSeconds: 0));
        Assert.Null(await host.Authenticator.AuthenticateAsync(token, default).DefaultTimeout());
    }

    [Fact]
    public async Task AuthenticateAsync_AdminStyleToken_ReturnsNull() =>
        Assert.Null(await host.Authenticator.AuthenticateAsync("s3cr3t-TOKEN_value", default).DefaultTimeout());
}
