using System.Text.Json.Nodes;
using Berth.Controllers.StatefulSet;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.StatefulSet.StatefulSetTestHost;

namespace Berth.UnitTests.Controllers.StatefulSet;

/// <summary>volumeClaimTemplates: claim names, labels, pod volumes, retention owner references, and the controller creating claims.</summary>
public sealed class StatefulSetStorageTests : IAsyncDisposable
{
    private StatefulSetTestHost? _sts;

    public async ValueTask DisposeAsync()
    {
        if (_sts is not null)
        {
            await _sts.DisposeAsync();
        }
    }

    private static JsonObject SetWithClaims(string name = "web", int replicas = 2, string whenDeleted = "Retain", string whenScaled = "Retain")
    {
        var set = NewStatefulSet(name, replicas, policy: "Parallel");
        set.Metadata()["uid"] = "set-uid";
        set["spec"]!["volumeClaimTemplates"] = JsonNode.Parse("""
            [{"metadata":{"name":"data","labels":{"tier":"db"}},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}},
             {"metadata":{"name":"logs"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]
            """);
        set["spec"]!["persistentVolumeClaimRetentionPolicy"] = new JsonObject { ["whenDeleted"] = whenDeleted, ["whenScaled"] = whenScaled };
        return set;
    }

    [Fact]
    public void Claims_NamedTemplateSetOrdinal_LabelledWithSelector()
    {
        var claims = StatefulSetStorage.GetPersistentVolumeClaims(SetWithClaims(), 3);

        Assert.Equal(["data-web-3", "logs-web-3"], claims.Select(c => c.Claim.GetName()));
        Assert.Equal(["data", "logs"], claims.Select(c => c.Template));
        var labels = claims[0].Claim.GetLabels();
        Assert.Equal("db", labels["tier"]);
        Assert.Equal("web", labels["app"]);
        Assert.Equal("default", claims[1].Claim.GetNamespace());
    }

    [Fact]
    public void NewPod_ClaimVolumesFirst_ReplacingTemplateVolumeOfSameName()
    {
        var set = SetWithClaims();
        set["spec"]!["template"]!["spec"]!["volumes"] = JsonNode.Parse("""[{"name":"data","emptyDir":{}},{"name":"tmp","emptyDir":{}}]""");

        var pod = StatefulSetUtils.NewStatefulSetPod(set, 1);

        var volumes = pod.GetArray("spec", "volumes")!.OfType<JsonObject>().ToList();
        Assert.Equal(["data", "logs", "tmp"], volumes.Select(v => v.GetString("name")));
        Assert.Equal("data-web-1", volumes[0].GetString("persistentVolumeClaim", "claimName"));
        Assert.Null(volumes[0]["emptyDir"]);
    }

    [Theory]
    [InlineData("Retain", "Retain", true, "")]
    [InlineData("Delete", "Retain", true, "StatefulSet")]
    [InlineData("Delete", "Retain", false, "StatefulSet")]
    [InlineData("Retain", "Delete", true, "")]
    [InlineData("Retain", "Delete", false, "Pod")]
    [InlineData("Delete", "Delete", false, "Pod")]
    public void RetentionPolicy_OwnerReferences(string whenDeleted, string whenScaled, bool inRange, string owners)
    {
        var set = SetWithClaims(whenDeleted: whenDeleted, whenScaled: whenScaled);
        var pod = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "web-5", ["uid"] = "pod-uid" } };
        var claim = StatefulSetStorage.GetPersistentVolumeClaims(set, 5)[0].Claim;

        StatefulSetStorage.UpdateClaimOwnerRefs(claim, set, pod, inRange);

        Assert.Equal(owners, string.Join(",", (claim.GetArray("metadata", "ownerReferences") ?? []).Select(r => r!["kind"]!.GetValue<string>())));
        Assert.False(StatefulSetStorage.UpdateClaimOwnerRefs(claim, set, pod, inRange));
    }

    [Fact]
    public async Task Controller_CreatesClaimsBeforePods_WithEvents()
    {
        _sts = new StatefulSetTestHost();
        var set = SetWithClaims();
        set.Metadata().Remove("uid");
        await _sts.CreateAsync(set);

        await _sts.Host.WaitUntilAsync(async () => (await _sts.ActiveNamesAsync()).Count == 2);

        var claims = (await _sts.Host.ListAsync(KindRegistry.PersistentVolumeClaims)).Select(c => c.GetName()).Order(StringComparer.Ordinal);
        Assert.Equal(["data-web-0", "data-web-1", "logs-web-0", "logs-web-1"], claims);
        Assert.Contains(_sts.Host.Events.Events, e => e.Reason == "SuccessfulCreate" && e.Message == "create Claim data-web-0 Pod web-0 in StatefulSet web success");
        var pod = await _sts.PodAsync("web-1");
        Assert.Equal("logs-web-1", pod!.GetArray("spec", "volumes")!.OfType<JsonObject>().Single(v => v.GetString("name") == "logs").GetString("persistentVolumeClaim", "claimName"));
    }
}
