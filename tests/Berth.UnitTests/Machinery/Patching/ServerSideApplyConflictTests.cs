using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>Field-manager conflicts of server-side apply, and how ownership moves with and without force.</summary>
public sealed class ServerSideApplyConflictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 5, 0, 0, TimeSpan.Zero);

    private const string Config = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}}}
        """;

    [Fact]
    public void Apply_AfterScaleChangedReplicas_ConflictsWithTheScaleUpdater()
    {
        var scaled = Scaled(Applied(), 3);
        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(scaled, WithReplicas(4), KindRegistry.Deployments, "kubectl", Now));
        Assert.Equal((409, StatusReason.Conflict), (e.Code, e.Reason));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas", e.Message);
        var cause = Assert.Single(e.Details!.Causes);
        Assert.Equal((CauseType.FieldManagerConflict, "conflict with \"kubectl\" with subresource \"scale\" using apps/v1", ".spec.replicas"),
            (cause.Reason, cause.Message, cause.Field));
        Assert.Null(e.Details.Name);
    }

    [Fact]
    public void Apply_SameValueAnotherManagerOwns_IsSharedNotConflict()
    {
        var scaled = Scaled(Applied(), 3);
        var result = ServerSideApply.Apply(scaled, WithReplicas(3), KindRegistry.Deployments, "kubectl", Now);
        Assert.Contains("f:spec\nf:replicas", Fields(result, "kubectl", "Apply"));
        Assert.Contains("f:spec\nf:replicas", Fields(result, "kubectl", "Update"));
    }

    [Fact]
    public void Apply_Force_MovesConflictingFieldsAndRemovesEmptiedEntries()
    {
        var scaled = Scaled(Applied(), 3);
        var result = ServerSideApply.Apply(scaled, WithReplicas(4), KindRegistry.Deployments, "kubectl", Now, force: true);
        Assert.Equal(4, (int)result["spec"]!["replicas"]!);
        var entry = Assert.Single(result["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal(("kubectl", "Apply"), ((string?)entry["manager"], (string?)entry["operation"]));
        Assert.Contains("f:spec\nf:replicas", Fields(result, "kubectl", "Apply"));
    }

    [Fact]
    public void Apply_SecondApplierChangingSeveralFields_ListsThemUnderTheFirstApplier()
    {
        var config = Parse(Config);
        config["spec"]!["replicas"] = 5;
        config["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:2";
        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(Applied(), config, KindRegistry.Deployments, "other", Now));
        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"kubectl\":\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image",
            e.Message);
        Assert.Equal([".spec.replicas", ".spec.template.spec.containers[name=\"web\"].image"], e.Details!.Causes.Select(c => c.Field));
    }

    [Fact]
    public void Apply_SameConfigBySecondApplier_SharesEverything()
    {
        var shared = ServerSideApply.Apply(Applied(), Parse(Config), KindRegistry.Deployments, "other", Now);
        Assert.Equal(Fields(shared, "kubectl", "Apply"), Fields(shared, "other", "Apply"));
    }

    [Fact]
    public void Apply_Unchanged_KeepsTheEntryTimeSoTheWriteIsANoOp()
    {
        var first = Applied();
        var again = ServerSideApply.Apply(first, Parse(Config), KindRegistry.Deployments, "kubectl", Now.AddHours(1));
        Assert.True(JsonNode.DeepEquals(first, again));
    }

    [Fact]
    public void Apply_StatusOnTheObjectItself_IsNeitherOwnedNorConflicting()
    {
        var live = Applied();
        live["status"] = new JsonObject { ["replicas"] = 1 };
        ManagedFields.RecordUpdate(live, Applied(), KindRegistry.Deployments, "controller", Now, "status");
        var config = Parse(Config);
        config["status"] = new JsonObject { ["replicas"] = 9 };
        var result = ServerSideApply.Apply(live, config, KindRegistry.Deployments, "kubectl", Now);
        Assert.DoesNotContain(Fields(result, "kubectl", "Apply"), p => p.StartsWith("f:status", StringComparison.Ordinal));
        Assert.Contains("f:status\nf:replicas", Fields(result, "controller", "Update"));
    }

    [Fact]
    public void Apply_ThroughStatusSubresource_OwnsOnlyStatusUnderItsOwnEntry()
    {
        var config = Parse("""{"metadata":{"name":"web","labels":{"x":"y"}},"status":{"replicas":2}}""");
        var result = ServerSideApply.Apply(Applied(), config, KindRegistry.Deployments, "ctl", Now, subresource: "status");
        var entry = result["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == "ctl")!;
        Assert.Equal("status", (string?)entry["subresource"]);
        Assert.Equal(["f:status\nf:replicas"], FieldsV1.Parse(entry["fieldsV1"]!.AsObject()));
    }

    [Theory]
    [InlineData("kubectl", "v", true)]
    [InlineData("other", "v", false)]
    [InlineData("kubectl", "edited", false)]
    public void Apply_OverClientSideApply_ForgivesKubectlOnFieldsStillAsLastApplied(string manager, string liveValue, bool succeeds)
    {
        var live = Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","annotations":{}},"data":{"k":"v","j":"w"}}""");
        live["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"] =
            """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v","j":"w"}}""";
        live["data"]!["k"] = liveValue;
        ManagedFields.RecordUpdate(live, null, KindRegistry.ConfigMaps, "kubectl-client-side-apply", Now);
        var config = Parse("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"new","j":"changed"}}""");
        if (succeeds)
        {
            var result = ServerSideApply.Apply(live, config, KindRegistry.ConfigMaps, manager, Now);
            Assert.Equal(["f:data\nf:j", "f:data\nf:k"], Fields(result, manager, "Apply").Order(StringComparer.Ordinal));
            return;
        }
        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(live, config, KindRegistry.ConfigMaps, manager, Now));
        var expected = manager == "kubectl" ? [".data.k"] : new[] { ".data.j", ".data.k" };
        Assert.Equal(expected, e.Details!.Causes.Select(c => c.Field));
    }

    private static JsonObject Applied() => ServerSideApply.Apply(null, Parse(Config), KindRegistry.Deployments, "kubectl", Now);

    /// <summary>What <c>kubectl scale</c> leaves: an Update by "kubectl" through the scale subresource.</summary>
    private static JsonObject Scaled(JsonObject live, int replicas)
    {
        var scaled = (JsonObject)live.DeepClone();
        scaled["spec"]!["replicas"] = replicas;
        ManagedFields.RecordUpdate(scaled, live, KindRegistry.Deployments, "kubectl", Now, "scale");
        return scaled;
    }

    private static JsonObject WithReplicas(int replicas)
    {
        var config = Parse(Config);
        config["spec"]!["replicas"] = replicas;
        return config;
    }

    private static HashSet<string> Fields(JsonObject obj, string manager, string operation) =>
        FieldsV1.Parse(obj["metadata"]!["managedFields"]!.AsArray()
            .Single(e => (string?)e!["manager"] == manager && (string?)e!["operation"] == operation)!["fieldsV1"]!.AsObject());

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
