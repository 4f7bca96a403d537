using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>The strategic-merge table's entries that upstream declares beside the merge keys (retainKeys, list-map keys).</summary>
public sealed class PatchMergeKeysTests
{
    [Fact]
    public void PodSpec_VolumesAndResourceClaims_MergeAndRetainKeys()
    {
        var volumes = PatchMergeKeys.PodSpec.Field("volumes")!;
        Assert.Equal((PatchStrategy.Merge, "name", true), (volumes.Strategy, volumes.MergeKey, volumes.RetainKeys));
        var claims = PatchMergeKeys.PodSpec.Field("resourceClaims")!;
        Assert.Equal((PatchStrategy.Merge, "name", true), (claims.Strategy, claims.MergeKey, claims.RetainKeys));
        Assert.Equal(["name"], claims.ListMapKeys);
        Assert.False(PatchMergeKeys.PodSpec.Field("containers")!.RetainKeys);
    }

    [Fact]
    public void ListMapKeys_StartWithTheMergeKey()
    {
        var ports = PatchMergeKeys.Container.Field("ports")!;
        Assert.Equal(["containerPort", "protocol"], ports.ListMapKeys);
        var servicePorts = PatchMergeKeys.ForKind(KindRegistry.Services)!.Child("spec").Field("ports")!;
        Assert.Equal(["port", "protocol"], servicePorts.ListMapKeys);
        Assert.Equal(["topologyKey", "whenUnsatisfiable"], PatchMergeKeys.PodSpec.Field("topologySpreadConstraints")!.ListMapKeys);
        Assert.Null(PatchMergeKeys.Container.Field("env")!.ListMapKeys);
    }

    [Fact]
    public void Deployment_StrategyRetainKeys_TemplateStillMergesContainers()
    {
        var spec = PatchMergeKeys.ForKind(KindRegistry.Deployments)!.Child("spec");
        var strategy = spec.Field("strategy")!;
        Assert.Equal((PatchStrategy.Default, (string?)null, true), (strategy.Strategy, strategy.MergeKey, strategy.RetainKeys));
        Assert.Equal("name", spec.Child("template").Child("spec").Field("containers")!.MergeKey);
        Assert.Null(PatchMergeKeys.ForKind(KindRegistry.StatefulSets)!.Child("spec").Field("strategy"));
    }

    [Fact]
    public void Deployment_StrategyWithoutDirective_MergesAsBefore()
    {
        SmpAssert.Equal(
            """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":2,"maxUnavailable":1}}}}""",
            """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":1}}}}""",
            """{"spec":{"strategy":{"rollingUpdate":{"maxSurge":2}}}}""",
            KindRegistry.Deployments);
    }
}
