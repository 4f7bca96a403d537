using Berth.ApiServer.Auth;
using Berth.Machinery.Errors;
using Berth.Registry.Rbac;
using Microsoft.Extensions.Logging.Abstractions;
using static Berth.UnitTests.ApiServer.HttpContextFactory;

namespace Berth.UnitTests.ApiServer.Auth;

public sealed class ImpersonationMiddlewareTests
{
    private AuthenticatedUser? _seen;

    [Fact]
    public async Task InvokeAsync_NoHeaders_PassesTheRequestOnUnchanged()
    {
        var context = Create("/api/v1/pods");

        await Middleware().InvokeAsync(context).DefaultTimeout();

        Assert.NotNull(_seen);
        Assert.Null(context.Features.Get<AuthenticatedUser>());
    }

    [Fact]
    public async Task InvokeAsync_AdministratorAsServiceAccount_ContinuesAsTheAccountWithItsGroups()
    {
        var context = Create("/api/v1/pods");
        context.Request.Headers["Impersonate-User"] = "system:serviceaccount:team:bot";

        await Middleware().InvokeAsync(context).DefaultTimeout();

        Assert.Equal("system:serviceaccount:team:bot", _seen!.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:team", "system:authenticated"], _seen.Groups);
        Assert.False(context.Request.Headers.ContainsKey("Impersonate-User"));
    }

    [Fact]
    public async Task InvokeAsync_UserWithGroups_AddsAuthenticated()
    {
        var context = Create("/api/v1/pods");
        context.Request.Headers["Impersonate-User"] = "jane";
        context.Request.Headers["Impersonate-Group"] = new(["devs", "ops"]);

        await Middleware().InvokeAsync(context).DefaultTimeout();

        Assert.Equal(["devs", "ops", "system:authenticated"], _seen!.Groups);
    }

    [Fact]
    public async Task InvokeAsync_RequesterWithoutImpersonate_Forbidden()
    {
        var context = Create("/api/v1/pods");
        new AuthenticatedUser("system:serviceaccount:team:bot", ["system:authenticated"], new Dictionary<string, IReadOnlyList<string>>()).AttachTo(context);
        context.Request.Headers["Impersonate-User"] = "jane";

        await Middleware().InvokeAsync(context).DefaultTimeout();

        Assert.Null(_seen);
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("users \"jane\" is forbidden: User \"system:serviceaccount:team:bot\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            (string?)BodyJson(context)["message"]);
    }

    [Fact]
    public async Task InvokeAsync_GroupWithoutUser_InternalError()
    {
        var context = Create("/api/v1/pods");
        context.Request.Headers["Impersonate-Group"] = "devs";

        var error = await Assert.ThrowsAsync<ApiException>(() => Middleware().InvokeAsync(context)).DefaultTimeout();

        Assert.Equal(500, error.Code);
    }

    private ImpersonationMiddleware Middleware()
    {
        var holder = new RbacPolicyHolder();
        holder.Publish(RbacPolicySnapshot.Empty);
        return new ImpersonationMiddleware(c => { _seen = AuthenticatedUser.Of(c); return Task.CompletedTask; },
            new RbacAuthorizer(holder), NullLogger<ImpersonationMiddleware>.Instance);
    }
}
