using Berth.ApiServer.Auth;
using Berth.Machinery.Serialization;
using Berth.UnitTests.Registry.ServiceAccounts;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.ApiServer.Auth;

public sealed class ServiceAccountAuthenticationTests : IDisposable
{
    private readonly TokenTestHost host = new();

    public void Dispose() => host.Dispose();

    private async Task<(bool NextCalled, Microsoft.AspNetCore.Http.DefaultHttpContext Context)> InvokeAsync(string authorization)
    {
        var called = false;
        var middleware = new BearerTokenAuthenticationMiddleware(
            _ => { called = true; return Task.CompletedTask; },
            new BearerTokenValidator("admin-token"),
            NullLogger<BearerTokenAuthenticationMiddleware>.Instance,
            host.Authenticator);
        var context = HttpContextFactory.Create("/api/v1/namespaces/default/pods", authorization: authorization);
        await middleware.InvokeAsync(context).DefaultTimeout();
        return (called, context);
    }

    [Fact]
    public async Task InvokeAsync_ServiceAccountToken_CallsNextAsServiceAccount()
    {
        var token = (await host.RequestTokenAsync("default").DefaultTimeout()).GetString("status", "token")!;
        var (called, context) = await InvokeAsync("Bearer " + token);
        Assert.True(called);
        var user = AuthenticatedUser.Of(context);
        Assert.Equal("system:serviceaccount:default:default", user.Name);
        Assert.Contains("system:serviceaccounts:default", user.Groups);
    }

    [Fact]
    public async Task InvokeAsync_AdminToken_CallsNextAsAdmin()
    {
        var (called, context) = await InvokeAsync("Bearer admin-token");
        Assert.True(called);
        Assert.Equal(SelfReviewEndpoints.UserName, AuthenticatedUser.Of(context).Name);
    }

    [Fact]
    public async Task InvokeAsync_ExpiredServiceAccountToken_Returns401()
    {
        var token = (await host.RequestTokenAsync("default").DefaultTimeout()).GetString("status", "token")!;
        host.Time.Advance(TimeSpan.FromHours(2));
        var (called, context) = await InvokeAsync("Bearer " + token);
        Assert.False(called);
        Assert.Equal(401, context.Response.StatusCode);
    }
}
