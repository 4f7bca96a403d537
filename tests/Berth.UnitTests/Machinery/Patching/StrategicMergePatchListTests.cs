using Berth.Machinery.Kinds;

namespace Berth.UnitTests.Machinery.Patching;

/// <summary>Merge keys and list ordering, one golden case per common key.</summary>
public sealed class StrategicMergePatchListTests
{
    public static TheoryData<string, string, string, string> Cases => new()
    {
        {
            "env by name",
            """{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}""",
            """{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"3"}]}]}}""",
            """{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]}]}}"""
        },
        {
            "container ports by containerPort",
            """{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"},{"containerPort":443}]}]}}""",
            """{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}""",
            """{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http","protocol":"TCP"},{"containerPort":443}]}]}}"""
        },
        {
            "volumeMounts by mountPath",
            """{"spec":{"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","name":"v1"},{"mountPath":"/b","name":"v2"}]}]}}""",
            """{"spec":{"containers":[{"name":"c","volumeMounts":[{"mountPath":"/b","readOnly":true}]}]}}""",
            """{"spec":{"containers":[{"name":"c","volumeMounts":[{"mountPath":"/a","name":"v1"},{"mountPath":"/b","name":"v2","readOnly":true}]}]}}"""
        },
        {
            "volumes by name",
            """{"spec":{"volumes":[{"name":"a","emptyDir":{}},{"name":"b","emptyDir":{}}]}}""",
            """{"spec":{"volumes":[{"name":"b","$patch":"delete"}]}}""",
            """{"spec":{"volumes":[{"name":"a","emptyDir":{}}]}}"""
        },
        {
            "initContainers by name, new item goes first as upstream",
            """{"spec":{"initContainers":[{"name":"a","image":"x"}]}}""",
            """{"spec":{"initContainers":[{"name":"b","image":"y"}]}}""",
            """{"spec":{"initContainers":[{"name":"b","image":"y"},{"name":"a","image":"x"}]}}"""
        },
        {
            "imagePullSecrets by name and hostAliases by ip",
            """{"spec":{"imagePullSecrets":[{"name":"r1"}],"hostAliases":[{"ip":"1.2.3.4","hostnames":["a"]}]}}""",
            """{"spec":{"imagePullSecrets":[{"name":"r1"}],"hostAliases":[{"ip":"1.2.3.4","hostnames":["b"]}]}}""",
            """{"spec":{"imagePullSecrets":[{"name":"r1"}],"hostAliases":[{"ip":"1.2.3.4","hostnames":["b"]}]}}"""
        },
        {
            "tolerations, args and command replace atomically",
            """{"spec":{"tolerations":[{"key":"a"},{"key":"b"}],"containers":[{"name":"c","args":["1","2"],"command":["sh"]}]}}""",
            """{"spec":{"tolerations":[{"key":"c"}],"containers":[{"name":"c","args":["3"]}]}}""",
            """{"spec":{"tolerations":[{"key":"c"}],"containers":[{"name":"c","args":["3"],"command":["sh"]}]}}"""
        },
        {
            "pod conditions by type",
            """{"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"False"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""",
            """{"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"True"},{"type":"Ready","status":"True"}]}}"""
        },
        {
            "ownerReferences by uid",
            """{"metadata":{"ownerReferences":[{"uid":"u1","name":"a"},{"uid":"u2","name":"b"}]}}""",
            """{"metadata":{"ownerReferences":[{"uid":"u2","controller":true}]}}""",
            """{"metadata":{"ownerReferences":[{"uid":"u1","name":"a"},{"uid":"u2","name":"b","controller":true}]}}"""
        },
        {
            "finalizers union, patch order first",
            """{"metadata":{"finalizers":["a","b"]}}""",
            """{"metadata":{"finalizers":["c","a"]}}""",
            """{"metadata":{"finalizers":["c","a","b"]}}"""
        },
        {
            "deleteFromPrimitiveList on finalizers",
            """{"metadata":{"finalizers":["a","b","c"]}}""",
            """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""",
            """{"metadata":{"finalizers":["a","c"]}}"""
        },
        {
            "setElementOrder alone reorders",
            """{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}""",
            """{"spec":{"containers":[{"name":"b","image":"2"},{"name":"a","image":"1"}]}}"""
        },
        {
            "setElementOrder places a new item before the next live item, as upstream mergeSortedSlice",
            """{"spec":{"containers":[{"name":"a"},{"name":"x"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"n"},{"name":"b"}],"containers":[{"name":"n","image":"i"}]}}""",
            """{"spec":{"containers":[{"name":"a"},{"name":"n","image":"i"},{"name":"x"},{"name":"b"}]}}"""
        },
        {
            "setElementOrder on primitive merge list",
            """{"metadata":{"finalizers":["a","b"]}}""",
            """{"metadata":{"$setElementOrder/finalizers":["b","c","a"],"finalizers":["c"]}}""",
            """{"metadata":{"finalizers":["b","c","a"]}}"""
        },
        {
            "list-level $patch replace",
            """{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}}""",
            """{"spec":{"containers":[{"name":"z","image":"9"},{"$patch":"replace"}]}}""",
            """{"spec":{"containers":[{"name":"z","image":"9"}]}}"""
        },
        {
            "null element key deletes nested field",
            """{"spec":{"containers":[{"name":"a","image":"1","resources":{"limits":{"cpu":"1"}}}]}}""",
            """{"spec":{"containers":[{"name":"a","resources":null}]}}""",
            """{"spec":{"containers":[{"name":"a","image":"1"}]}}"""
        },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Apply_PodListGolden(string description, string original, string patch, string expected)
    {
        Assert.NotEmpty(description);
        SmpAssert.Equal(expected, original, patch, KindRegistry.Pods);
    }

    [Fact]
    public void Apply_ServicePortsByPort()
    {
        SmpAssert.Equal(
            """{"spec":{"ports":[{"port":80,"targetPort":8080,"protocol":"TCP"},{"port":443,"targetPort":8443}]}}""",
            """{"spec":{"ports":[{"port":80,"targetPort":80,"protocol":"TCP"},{"port":443,"targetPort":8443}]}}""",
            """{"spec":{"ports":[{"port":80,"targetPort":8080}]}}""",
            KindRegistry.Services);
    }

    [Fact]
    public void Apply_NodeConditionsAndAddressesByType()
    {
        SmpAssert.Equal(
            """{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}],"addresses":[{"type":"InternalIP","address":"10.0.0.2"},{"type":"Hostname","address":"n1"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"False","reason":"KubeletReady"}],"addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"10.0.0.2"}]}}""",
            KindRegistry.Nodes);
    }

    [Fact]
    public void Apply_NodeTaintsAreAtomic()
    {
        SmpAssert.Equal(
            """{"spec":{"taints":[{"key":"b","effect":"NoSchedule"}]}}""",
            """{"spec":{"taints":[{"key":"a","effect":"NoSchedule"}]}}""",
            """{"spec":{"taints":[{"key":"b","effect":"NoSchedule"}]}}""",
            KindRegistry.Nodes);
    }

    [Fact]
    public void Apply_CronJobTemplateContainersMergeByName()
    {
        SmpAssert.Equal(
            """{"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"2"},{"name":"b","image":"1"}]}}}}}}""",
            """{"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}}}}}}""",
            """{"spec":{"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"2"}]}}}}}}""",
            KindRegistry.CronJobs);
    }

    [Fact]
    public void Apply_PdbSelectorIsReplacedWhole()
    {
        SmpAssert.Equal(
            """{"spec":{"minAvailable":1,"selector":{"matchLabels":{"b":"2"}}}}""",
            """{"spec":{"minAvailable":1,"selector":{"matchLabels":{"a":"1"}}}}""",
            """{"spec":{"selector":{"matchLabels":{"b":"2"}}}}""",
            KindRegistry.PodDisruptionBudgets);
    }

    [Fact]
    public void Apply_ContainerPortKeyMatchesNumbersFromDifferentSources()
    {
        var original = new System.Text.Json.Nodes.JsonObject
        {
            ["spec"] = new System.Text.Json.Nodes.JsonObject
            {
                ["containers"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
                {
                    ["name"] = "c",
                    ["ports"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["containerPort"] = 80 }),
                }),
            },
        };
        var patch = System.Text.Json.Nodes.JsonNode.Parse("""{"spec":{"containers":[{"name":"c","ports":[{"containerPort":80,"name":"http"}]}]}}""")!.AsObject();
        var result = Berth.Machinery.Patching.StrategicMergePatch.Apply(original, patch, KindRegistry.Pods);
        var ports = result["spec"]!["containers"]![0]!["ports"]!.AsArray();
        Assert.Single(ports);
        Assert.Equal("http", (string?)ports[0]!["name"]);
    }
}
