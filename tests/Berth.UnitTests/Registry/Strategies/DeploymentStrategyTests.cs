using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Apps.Deployments;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class DeploymentStrategyTests
{
    private static JsonObject Deployment(string selector = """{"matchLabels":{"app":"web"}}""", string labels = """{"app":"web"}""") =>
        Parse("""{"metadata":{"name":"web","namespace":"default"},"spec":{"selector":""" + selector +
            ""","template":{"metadata":{"labels":""" + labels +
            """},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}""");

    [Fact]
    public void Create_MinimalDeployment_DefaultsMatchUpstream()
    {
        var d = Deployment();

        Assert.Empty(Create(new DeploymentStrategy(), d));
        var spec = d.GetObject("spec")!;
        Assert.Equal("1", spec["replicas"]!.ToJsonString());
        Assert.Equal("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":"25%","maxSurge":"25%"}}""", spec["strategy"]!.ToJsonString());
        Assert.Equal("10", spec["revisionHistoryLimit"]!.ToJsonString());
        Assert.Equal("600", spec["progressDeadlineSeconds"]!.ToJsonString());
        var podSpec = spec.GetObject("template", "spec")!;
        Assert.Equal("Always", podSpec.GetString("restartPolicy"));
        Assert.Equal("ClusterFirst", podSpec.GetString("dnsPolicy"));
        Assert.Equal("Always", podSpec["containers"]![0]!["imagePullPolicy"]!.GetValue<string>());
        Assert.Null(podSpec["tolerations"]);
        Assert.Null(podSpec["serviceAccountName"]);
        Assert.True(new DeploymentStrategy().TracksGeneration);
    }

    [Fact]
    public void Validate_SelectorMismatch_UpstreamMessage()
    {
        var errors = Create(new DeploymentStrategy(), Deployment(labels: """{"app":"other","tier":"x"}"""));

        Assert.Contains("spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\", \"tier\":\"x\"}: `selector` does not match template `labels`", errors);
    }

    [Fact]
    public void Validate_MissingSelector_Required()
    {
        var d = Deployment();
        d.GetObject("spec")!.Remove("selector");

        Assert.Contains("spec.selector: Required value", Create(new DeploymentStrategy(), d));
    }

    [Fact]
    public void Validate_EmptySelector_Invalid()
    {
        var errors = Create(new DeploymentStrategy(), Deployment(selector: "{}"));

        Assert.Contains("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment", errors);
    }

    [Fact]
    public void Validate_NegativeReplicasAndBadTemplate_PathsUnderSpecTemplate()
    {
        var d = Deployment();
        d.GetObject("spec")!["replicas"] = -1;
        d.GetObject("spec", "template", "spec")!["restartPolicy"] = "Never";
        d.GetArray("spec", "template", "spec", "containers")![0]!.AsObject().Remove("image");

        var errors = Create(new DeploymentStrategy(), d);

        Assert.Contains("spec.replicas: Invalid value: -1: must be greater than or equal to 0", errors);
        Assert.Contains("spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"", errors);
        Assert.Contains("spec.template.spec.containers[0].image: Required value", errors);
    }

    [Fact]
    public void Validate_BothMaxZero_Invalid()
    {
        var d = Deployment();
        d.GetObject("spec")!["strategy"] = JsonNode.Parse("""{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":0,"maxSurge":"0%"}}""");

        Assert.Contains("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0", Create(new DeploymentStrategy(), d));
    }

    [Fact]
    public void ValidateUpdate_SelectorChanged_Immutable()
    {
        var strategy = new DeploymentStrategy();
        var old = Deployment();
        Create(strategy, old);
        var updated = Deployment("""{"matchLabels":{"app":"web2"}}""", """{"app":"web2"}""");

        Assert.Contains(
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable",
            Update(strategy, updated, old));
    }

    [Fact]
    public void PrepareForStatusUpdate_LabelsAndSpec_KeptFromOld()
    {
        var old = Deployment();
        old.Metadata()["labels"] = JsonNode.Parse("""{"app":"web"}""");
        var updated = With(old, d =>
        {
            d.Metadata()["labels"] = JsonNode.Parse("""{"app":"hacked"}""");
            d.GetObject("spec")!["replicas"] = 5;
            d["status"] = JsonNode.Parse("""{"replicas":1}""");
        });

        new DeploymentStrategy().PrepareForStatusUpdate(updated, old);

        Assert.Equal("web", updated.GetLabels()["app"]);
        Assert.Null(updated.GetPath("spec", "replicas"));
        Assert.Equal("1", updated["status"]!["replicas"]!.ToJsonString());
    }
}
