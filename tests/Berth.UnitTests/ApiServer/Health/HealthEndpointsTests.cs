using Berth.ApiServer.Health;

namespace Berth.UnitTests.ApiServer.Health;

public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Readyz_BeforeBootstrap_Returns503WithFailingCheck()
    {
        var readiness = new ServerReadiness();
        readiness.MarkStoreOpen();
        var context = HttpContextFactory.Create("/readyz");
        await HealthEndpoints.WriteAsync(context, "readyz", readiness.Checks()).DefaultTimeout();
        Assert.Equal(503, context.Response.StatusCode);
        var text = HttpContextFactory.BodyText(context);
        Assert.Contains("[+]store ok", text);
        Assert.Contains("[-]bootstrap failed", text);
        Assert.EndsWith("readyz check failed\n", text);
    }

    [Fact]
    public async Task Readyz_AllGatesPassed_ReturnsOk()
    {
        var readiness = new ServerReadiness();
        readiness.MarkStoreOpen();
        readiness.MarkBootstrapComplete();
        var context = HttpContextFactory.Create("/readyz");
        await HealthEndpoints.WriteAsync(context, "readyz", readiness.Checks()).DefaultTimeout();
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("ok", HttpContextFactory.BodyText(context));
    }

    [Fact]
    public void Readiness_Stopping_IsNotReady()
    {
        var readiness = new ServerReadiness();
        readiness.MarkStoreOpen();
        readiness.MarkBootstrapComplete();
        Assert.True(readiness.IsReady);
        readiness.MarkStopping();
        Assert.False(readiness.IsReady);
    }

    [Fact]
    public async Task Healthz_Verbose_ListsChecks()
    {
        var context = HttpContextFactory.Create("/healthz", query: "?verbose");
        await HealthEndpoints.WriteAsync(context, "healthz", [("ping", true)]).DefaultTimeout();
        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("[+]ping ok\nhealthz check passed\n", HttpContextFactory.BodyText(context));
    }
}
