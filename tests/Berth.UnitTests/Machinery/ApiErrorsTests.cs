using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;

namespace Berth.UnitTests.Machinery;

public sealed class ApiErrorsTests
{
    [Fact]
    public void NotFound_GroupedKind_UsesGroupResourceInMessage()
    {
        var e = ApiErrors.NotFound(KindRegistry.Deployments, "web");
        Assert.Equal(404, e.Code);
        Assert.Equal("deployments.apps \"web\" not found", e.Message);
        Assert.Equal("deployments", e.Details!.Kind);
    }

    [Fact]
    public void NotFoundPath_StatusCarriesEmptyDetails()
    {
        var json = StatusJson.FromException(ApiErrors.NotFoundPath()).ToJsonString();

        Assert.Contains("\"details\":{}", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"NotFound\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_OneCause_RendersFieldPathLikeKubectl()
    {
        var e = ApiErrors.Invalid(KindRegistry.Pods, "bad", [FieldError.Required("spec.containers")]);
        Assert.Equal(422, e.Code);
        Assert.Equal("Pod \"bad\" is invalid: spec.containers: Required value", e.Message);
        Assert.Equal("spec.containers", e.Details!.Causes![0].Field);
        Assert.Equal("FieldValueRequired", e.Details.Causes[0].Reason);
    }

    [Fact]
    public void Invalid_KindOfANamedGroup_MessageQualifiesTheKindDetailsDoNot()
    {
        var e = ApiErrors.Invalid(KindRegistry.Deployments, "Bad", [FieldError.Invalid("metadata.name", "Bad", "must be lowercase")]);

        Assert.Equal("Deployment.apps \"Bad\" is invalid: metadata.name: Invalid value: \"Bad\": must be lowercase", e.Message);
        Assert.Equal("Deployment", e.Details!.Kind);
        Assert.Equal("apps", e.Details.Group);
    }

    [Fact]
    public void Key_NamespacedAndClusterScoped_AreDistinctPrefixes()
    {
        Assert.Equal("/pods/default/web", KindRegistry.Pods.Key("default", "web"));
        Assert.Equal("/nodes/n1", KindRegistry.Nodes.Key(null, "n1"));
        Assert.Equal("/deployments.apps/", KindRegistry.Deployments.ListPrefix(null));
    }
}
