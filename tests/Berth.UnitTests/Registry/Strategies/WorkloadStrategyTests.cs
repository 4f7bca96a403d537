using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Apps.ControllerRevisions;
using Berth.Registry.Apps.DaemonSets;
using Berth.Registry.Apps.ReplicaSets;
using Berth.Registry.Apps.StatefulSets;
using Berth.Registry.Policy;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class WorkloadStrategyTests
{
    private static JsonObject Workload(string extraSpec = "") =>
        Parse("""{"metadata":{"name":"w","namespace":"default"},"spec":{""" + extraSpec +
            """ "selector":{"matchLabels":{"app":"w"}},"template":{"metadata":{"labels":{"app":"w"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}""");

    [Fact]
    public void ReplicaSet_Defaults_OneReplicaAndTemplateDefaults()
    {
        var rs = Workload();

        Assert.Empty(Create(new ReplicaSetStrategy(), rs));
        Assert.Equal("1", rs["spec"]!["replicas"]!.ToJsonString());
        Assert.Equal("IfNotPresent", rs.GetArray("spec", "template", "spec", "containers")![0]!["imagePullPolicy"]!.GetValue<string>());
    }

    [Fact]
    public void ReplicaSet_EmptySelector_UsesDeploymentWordingLikeUpstream()
    {
        var rs = Workload();
        rs.GetObject("spec")!["selector"] = new JsonObject();

        Assert.Contains(Create(new ReplicaSetStrategy(), rs), e => e.EndsWith(": empty selector is invalid for deployment", StringComparison.Ordinal));
    }

    [Fact]
    public void StatefulSet_Defaults_MatchUpstream()
    {
        var sts = Workload();

        Assert.Empty(Create(new StatefulSetStrategy(), sts));
        var spec = sts.GetObject("spec")!;
        Assert.Equal("OrderedReady", spec.GetString("podManagementPolicy"));
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"partition":0}}""", spec["updateStrategy"]!.ToJsonString());
        Assert.Equal("""{"whenDeleted":"Retain","whenScaled":"Retain"}""", spec["persistentVolumeClaimRetentionPolicy"]!.ToJsonString());
        Assert.Equal("10", spec["revisionHistoryLimit"]!.ToJsonString());
    }

    [Fact]
    public void StatefulSet_UpdateOfServiceName_Forbidden()
    {
        var strategy = new StatefulSetStrategy();
        var old = Workload("\"serviceName\":\"a\",");
        Create(strategy, old);
        var scaled = With(old, s => s.GetObject("spec")!["replicas"] = 3);
        var renamed = With(old, s => s.GetObject("spec")!["serviceName"] = "b");

        Assert.Empty(Update(strategy, scaled, old));
        Assert.Contains("spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            Update(strategy, renamed, old));
    }

    [Fact]
    public void DaemonSet_Defaults_MaxUnavailableOneMaxSurgeZero()
    {
        var ds = Workload();

        Assert.Empty(Create(new DaemonSetStrategy(), ds));
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}}""", ds["spec"]!["updateStrategy"]!.ToJsonString());
        Assert.Equal("10", ds["spec"]!["revisionHistoryLimit"]!.ToJsonString());
    }

    // Upstream prints an IntOrString bad value as Go's struct dump, and lets exactly one of the two be non-zero.
    [Theory]
    [InlineData("""{"maxSurge":1}""", "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:0, IntVal:1, StrVal:\"\"}: may not be set when maxUnavailable is non-zero")]
    [InlineData("""{"maxUnavailable":0}""", "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0")]
    [InlineData("""{"maxUnavailable":0,"maxSurge":"150%"}""", "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%")]
    public void DaemonSet_InvalidRollingUpdate_UpstreamMessages(string rollingUpdate, string expected)
    {
        var ds = Workload();
        ds.GetObject("spec")!["updateStrategy"] = JsonNode.Parse("""{"type":"RollingUpdate","rollingUpdate":""" + rollingUpdate + "}");

        Assert.Contains(expected, Create(new DaemonSetStrategy(), ds));
    }

    [Fact]
    public void DaemonSet_MaxSurgeWithZeroMaxUnavailable_Valid()
    {
        var ds = Workload();
        ds.GetObject("spec")!["updateStrategy"] = JsonNode.Parse("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"100%"}}""");

        Assert.Empty(Create(new DaemonSetStrategy(), ds));
    }

    [Fact]
    public void DaemonSet_TemplateRestartPolicyNever_NotSupported()
    {
        var ds = Workload();
        ds.GetObject("spec", "template", "spec")!["restartPolicy"] = "Never";

        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"", Create(new DaemonSetStrategy(), ds));
    }

    [Fact]
    public void ControllerRevision_MissingDataAndChangedData_Rejected()
    {
        var strategy = new ControllerRevisionStrategy();
        var cr = Parse("""{"metadata":{"name":"r","namespace":"default"},"revision":1}""");
        Assert.Contains("data: Required value: data is mandatory", Create(strategy, cr));

        var old = Parse("""{"metadata":{"name":"r","namespace":"default"},"revision":1,"data":{"spec":{}}}""");
        var changed = With(old, c => c["data"] = JsonNode.Parse("""{"spec":{"x":1}}"""));
        Assert.Contains(Update(strategy, changed, old), e => e.StartsWith("data: Invalid value: ", StringComparison.Ordinal) && e.EndsWith(": field is immutable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"minAvailable":1,"maxUnavailable":1}""", "minAvailable and maxUnavailable cannot be both set")]
    [InlineData("""{"minAvailable":"150%"}""", "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%")]
    [InlineData("""{"maxUnavailable":-1}""", "spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"maxUnavailable":"ten"}""", "spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"ten\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
    public void PodDisruptionBudget_InvalidBudgets_Rejected(string spec, string expected)
    {
        var pdb = Parse("""{"metadata":{"name":"p","namespace":"default"},"spec":""" + spec + "}");

        Assert.Contains(Create(new PodDisruptionBudgetStrategy(), pdb), e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void PodDisruptionBudget_Valid_TracksGeneration()
    {
        var pdb = Parse("""{"metadata":{"name":"p","namespace":"default"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"w"}}}}""");

        Assert.Empty(Create(new PodDisruptionBudgetStrategy(), pdb));
        Assert.True(new PodDisruptionBudgetStrategy().TracksGeneration);
    }
}
