using Berth.ApiServer.Auth;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.ApiServer.Auth;

public sealed class BearerTokenAuthenticationTests
{
    private const string Token = "s3cr3t-TOKEN_value";

    private static async Task<(bool NextCalled, Microsoft.AspNetCore.Http.DefaultHttpContext Context)> InvokeAsync(string path, string? authorization)
    {
        var called = false;
        var middleware = new BearerTokenAuthenticationMiddleware(
            _ => { called = true; return Task.CompletedTask; },
            new BearerTokenValidator(Token),
            NullLogger<BearerTokenAuthenticationMiddleware>.Instance);
        var context = HttpContextFactory.Create(path, authorization: authorization);
        await middleware.InvokeAsync(context).DefaultTimeout();
        return (called, context);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong")]
    [InlineData("Bearer ")]
    [InlineData("Basic czNjcjN0")]
    [InlineData("Bearer s3cr3t-TOKEN_valu")]
    [InlineData("Bearer s3cr3t-TOKEN_valuee")]
    public async Task InvokeAsync_MissingOrWrongToken_Returns401Status(string? authorization)
    {
        var (called, context) = await InvokeAsync("/api/v1/pods", authorization);
        Assert.False(called);
        Assert.Equal(401, context.Response.StatusCode);
        var body = HttpContextFactory.BodyJson(context);
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal("Unauthorized", (string?)body["reason"]);
        Assert.Equal(401, (int?)body["code"]);
    }

    [Theory]
    [InlineData("Bearer " + Token)]
    [InlineData("bearer " + Token)]
    public async Task InvokeAsync_RightToken_CallsNext(string authorization)
    {
        var (called, _) = await InvokeAsync("/apis", authorization);
        Assert.True(called);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/livez")]
    [InlineData("/readyz")]
    [InlineData("/readyz/store")]
    [InlineData("/version")]
    public async Task InvokeAsync_HealthAndVersion_NeedNoToken(string path)
    {
        var (called, _) = await InvokeAsync(path, null);
        Assert.True(called);
    }

    [Theory]
    [InlineData("/versions")]
    [InlineData("/healthzz")]
    [InlineData("/api")]
    [InlineData("/openapi/v3")]
    [InlineData("")]
    public void IsAnonymous_OtherPaths_AreProtected(string path)
    {
        Assert.False(AnonymousPaths.IsAnonymous(path));
    }

    [Fact]
    public void Validator_EmptyToken_IsRejectedAtConstruction()
    {
        Assert.Throws<ArgumentException>(() => new BearerTokenValidator(" "));
    }
}
