using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.Machinery.Patching;

public sealed class ServerSideApplyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 22, 48, 0, 123, TimeSpan.Zero);

    private const string Config = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.26"}]}}}}
        """;

    [Fact]
    public void Apply_NoLiveObject_ReturnsConfigWithApplyEntry()
    {
        var result = ServerSideApply.Apply(null, Parse(Config), KindRegistry.Deployments, "kubectl", Now);
        Assert.Equal("nginx:1.26", (string?)result["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        var entry = Assert.Single(result["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal("kubectl", (string?)entry["manager"]);
        Assert.Equal("Apply", (string?)entry["operation"]);
        Assert.Equal("apps/v1", (string?)entry["apiVersion"]);
        Assert.Equal("2026-11-27T22:48:00Z", (string?)entry["time"]);
        Assert.Equal("FieldsV1", (string?)entry["fieldsType"]);
        var expected = JsonNode.Parse("""
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, entry["fieldsV1"]), entry["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public void Apply_LiveObject_MergesLikeSmpAndKeepsServerFields()
    {
        var live = Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment",
             "metadata":{"name":"web","namespace":"default","uid":"u1","resourceVersion":"7","labels":{"app":"web","extra":"x"}},
             "spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.25","imagePullPolicy":"IfNotPresent"}]}}},
             "status":{"replicas":1}}
            """);
        var liveText = live.ToJsonString();
        var result = ServerSideApply.Apply(live, Parse(Config), KindRegistry.Deployments, "kubectl", Now);
        Assert.Equal(liveText, live.ToJsonString());
        Assert.Equal("u1", (string?)result["metadata"]!["uid"]);
        Assert.Equal("x", (string?)result["metadata"]!["labels"]!["extra"]);
        Assert.Equal(2, (int)result["spec"]!["replicas"]!);
        var container = result["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.26", (string?)container["image"]);
        Assert.Equal("IfNotPresent", (string?)container["imagePullPolicy"]);
        Assert.Equal(1, (int)result["status"]!["replicas"]!);
    }

    [Fact]
    public void Apply_SecondApplyBySameManager_ReplacesItsEntry()
    {
        var first = ServerSideApply.Apply(null, Parse(Config), KindRegistry.Deployments, "kubectl", Now);
        var second = ServerSideApply.Apply(first, Parse("""{"metadata":{"name":"web"},"spec":{"replicas":3}}"""),
            KindRegistry.Deployments, "kubectl", Now.AddMinutes(1));
        var entry = Assert.Single(second["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal("2026-11-27T22:49:00Z", (string?)entry["time"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:spec":{"f:replicas":{}}}"""), entry["fieldsV1"]), entry["fieldsV1"]!.ToJsonString());
        Assert.Null(second["spec"]!["template"]!["spec"]!["containers"]);
        Assert.Null(second["metadata"]!["labels"]);
    }

    [Fact]
    public void Apply_OtherManagerChangesField_ConflictsUnlessForced()
    {
        var first = ServerSideApply.Apply(null, Parse(Config), KindRegistry.Deployments, "kubectl", Now);
        var config = Parse("""{"metadata":{"name":"web"},"spec":{"replicas":5}}""");
        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(first, config, KindRegistry.Deployments, "hpa", Now));
        Assert.Equal(409, e.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas", e.Message);

        var second = ServerSideApply.Apply(first, config, KindRegistry.Deployments, "hpa", Now, force: true);
        var entries = second["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal(["hpa", "kubectl"], entries.Select(e => (string?)e!["manager"]));
        var kubectlFields = FieldsV1.Parse(entries[1]!["fieldsV1"]!.AsObject());
        Assert.DoesNotContain("f:spec\nf:replicas", kubectlFields);
        Assert.Contains("f:metadata\nf:labels\nf:app", kubectlFields);
        Assert.Equal(5, (int)second["spec"]!["replicas"]!);
    }

    [Fact]
    public void Apply_FieldDroppedFromConfig_IsRemovedUnlessAnotherManagerOwnsIt()
    {
        var first = ServerSideApply.Apply(null, Parse("""
            {"metadata":{"name":"c","labels":{"a":"1","b":"2"},"annotations":{"x":"1"}},"data":{"k":"v","gone":"v"}}
            """), KindRegistry.ConfigMaps, "kubectl", Now);
        var shared = ServerSideApply.Apply(first, Parse("""{"metadata":{"name":"c","labels":{"b":"2"}}}"""),
            KindRegistry.ConfigMaps, "other", Now);
        var second = ServerSideApply.Apply(shared, Parse("""{"metadata":{"name":"c"},"data":{"k":"v"}}"""),
            KindRegistry.ConfigMaps, "kubectl", Now);
        Assert.Equal("""{"b":"2"}""", second["metadata"]!["labels"]!.ToJsonString());
        Assert.Null(second["metadata"]!["annotations"]);
        Assert.Equal("""{"k":"v"}""", second["data"]!.ToJsonString());
        Assert.Equal("c", (string?)second["metadata"]!["name"]);
    }

    [Fact]
    public void Apply_FieldLaterWrittenByUpdate_IsNotRemovedByTheApplier()
    {
        var first = ServerSideApply.Apply(null, Parse("""{"metadata":{"name":"c"},"data":{"k":"v"}}"""), KindRegistry.ConfigMaps, "kubectl", Now);
        var edited = (JsonObject)first.DeepClone();
        edited["data"]!["k"] = "edited";
        ManagedFields.RecordUpdate(edited, first, KindRegistry.ConfigMaps, "kubectl-edit", Now);
        var second = ServerSideApply.Apply(edited, Parse("""{"metadata":{"name":"c"}}"""), KindRegistry.ConfigMaps, "kubectl", Now);
        Assert.Equal("edited", (string?)second["data"]!["k"]);
    }

    [Fact]
    public void Apply_ClientSentManagedFields_AreIgnored()
    {
        var config = Parse("""{"metadata":{"name":"c","managedFields":[{"manager":"evil"}]},"data":{"a":"1"}}""");
        var result = ServerSideApply.Apply(null, config, KindRegistry.ConfigMaps, "m", Now);
        Assert.Equal(["m"], result["metadata"]!["managedFields"]!.AsArray().Select(e => (string?)e!["manager"]));
    }

    [Fact]
    public void Apply_EmptyFieldManager_ThrowsBadRequest()
    {
        var e = Assert.Throws<ApiException>(() => ServerSideApply.Apply(null, Parse(Config), KindRegistry.Deployments, "", Now));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void RecordUpdate_Create_RecordsAllUserFields()
    {
        var pod = Parse("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","uid":"u","finalizers":["f1"]},"spec":{"containers":[{"name":"c","image":"i","ports":[{"containerPort":80}]}]}}""");
        ManagedFields.RecordUpdate(pod, null, KindRegistry.Pods, "kubectl-create", Now);
        var entry = Assert.Single(pod["metadata"]!["managedFields"]!.AsArray())!;
        Assert.Equal("Update", (string?)entry["operation"]);
        var expected = JsonNode.Parse("""
            {"f:metadata":{"f:finalizers":{"v:\"f1\"":{}}},
             "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{},
               "f:ports":{"k:{\"containerPort\":80}":{".":{},"f:containerPort":{}}}}}}}
            """);
        Assert.True(JsonNode.DeepEquals(expected, entry["fieldsV1"]), entry["fieldsV1"]!.ToJsonString());
    }

    [Fact]
    public void RecordUpdate_ChangedField_MovesBetweenManagers()
    {
        var before = Parse("""{"metadata":{"name":"n"},"spec":{"podCIDR":"10.0.0.0/24"}}""");
        ManagedFields.RecordUpdate(before, null, KindRegistry.Nodes, "kubelet", Now);
        var after = (JsonObject)before.DeepClone();
        after["spec"]!["unschedulable"] = true;
        ManagedFields.RecordUpdate(after, before, KindRegistry.Nodes, "kubectl-cordon", Now);
        var entries = after["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal(["kubectl-cordon", "kubelet"], entries.Select(e => (string?)e!["manager"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:spec":{"f:unschedulable":{}}}"""), entries[0]!["fieldsV1"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:spec":{"f:podCIDR":{}}}"""), entries[1]!["fieldsV1"]));
    }

    [Fact]
    public void RecordUpdate_NoManager_RecordsNothing()
    {
        var obj = Parse("""{"metadata":{"name":"n"}}""");
        ManagedFields.RecordUpdate(obj, null, KindRegistry.ConfigMaps, null, Now);
        Assert.Null(obj["metadata"]!["managedFields"]);
    }

    [Fact]
    public void FieldsV1_RenderAndParse_RoundTrip()
    {
        var paths = new HashSet<string> { "f:a", "f:b\nk:{\"name\":\"x\"}", "f:b\nk:{\"name\":\"x\"}\nf:image" };
        var json = FieldsV1.Render(paths);
        Assert.Equal("""{"f:a":{},"f:b":{"k:{\u0022name\u0022:\u0022x\u0022}":{".":{},"f:image":{}}}}""", json.ToJsonString());
        Assert.Equal(paths, FieldsV1.Parse(json));
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
