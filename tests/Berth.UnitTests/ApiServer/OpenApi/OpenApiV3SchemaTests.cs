using System.Text.Json.Nodes;
using Berth.ApiServer.OpenApi;
using Berth.Machinery.Kinds;
using Berth.Machinery.Patching;

namespace Berth.UnitTests.ApiServer.OpenApi;

/// <summary>The schemas of the generated OpenAPI v3 documents: what <c>kubectl explain</c> and patch-aware clients read.</summary>
public sealed class OpenApiV3SchemaTests
{
    private static readonly OpenApiV3Catalog Catalog = new(KindRegistry.ServedKinds);

    [Fact]
    public void EveryKind_HasAComponentWithItsGroupVersionKind()
    {
        foreach (var kind in KindRegistry.ServedKinds)
        {
            var schemas = Schemas(kind);
            var matches = schemas.Where(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray gvks
                && gvks.Any(g => (string?)g!["group"] == kind.Group && (string?)g["version"] == kind.Version && (string?)g["kind"] == kind.Kind)).ToList();
            Assert.True(matches.Count == 1, $"{kind}: {matches.Count} components");
            Assert.Equal("object", (string?)matches[0].Value!["type"]);
            Assert.NotNull(matches[0].Value!["properties"]!["metadata"]);
        }
    }

    [Fact]
    public void EveryReference_ResolvesWithinItsDocument()
    {
        foreach (var gv in KindRegistry.ServedKinds.GroupBy(k => (k.Group, k.Version)))
        {
            var schemas = Schemas(gv.First());
            foreach (var reference in References(schemas))
            {
                Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
                Assert.True(schemas.ContainsKey(reference["#/components/schemas/".Length..]), $"{gv.Key}: {reference} unresolved");
            }
        }
    }

    [Fact]
    public void DefinitionNames_FollowUpstreamPackages()
    {
        var apps = Schemas(KindRegistry.Deployments);
        Assert.True(apps.ContainsKey("io.k8s.api.apps.v1.DeploymentSpec"));
        Assert.True(apps.ContainsKey("io.k8s.api.core.v1.PodTemplateSpec"));
        Assert.True(apps.ContainsKey("io.k8s.api.core.v1.PersistentVolumeClaim"));
        Assert.True(apps.ContainsKey("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
        var core = Schemas(KindRegistry.Events);
        Assert.True(core.ContainsKey("io.k8s.api.core.v1.Event"));
        var discovery = Schemas(KindRegistry.EndpointSlices);
        Assert.True(discovery.ContainsKey("io.k8s.api.discovery.v1.EndpointPort"));
    }

    [Fact]
    public void PatchExtensions_AsUpstreamOnTheListsKubectlUsersTouch()
    {
        var core = Schemas(KindRegistry.Pods);
        AssertMarkers(core, "io.k8s.api.core.v1.PodSpec", "containers", "name", "merge");
        AssertMarkers(core, "io.k8s.api.core.v1.PodSpec", "volumes", "name", "merge,retainKeys");
        AssertMarkers(core, "io.k8s.api.core.v1.PodSpec", "tolerations", null, null);
        AssertMarkers(core, "io.k8s.api.core.v1.Container", "env", "name", "merge");
        AssertMarkers(core, "io.k8s.api.core.v1.Container", "args", null, null);
        AssertMarkers(core, "io.k8s.api.core.v1.ServiceSpec", "ports", "port", "merge");
        AssertMarkers(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", null, "merge");
        AssertMarkers(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", "uid", "merge");
        var ports = Property(core, "io.k8s.api.core.v1.Container", "ports");
        Assert.Equal("map", (string?)ports["x-kubernetes-list-type"]);
        Assert.Equal(["containerPort", "protocol"], ports["x-kubernetes-list-map-keys"]!.AsArray().Select(k => (string)k!));
        AssertMarkers(Schemas(KindRegistry.Deployments), "io.k8s.api.apps.v1.DeploymentSpec", "strategy", null, "retainKeys");
        AssertMarkers(Schemas(KindRegistry.Deployments), "io.k8s.api.apps.v1.DeploymentStatus", "conditions", "type", "merge");
        AssertMarkers(Schemas(KindRegistry.PodDisruptionBudgets), "io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "selector", null, "replace");
    }

    [Fact]
    public void PatchExtensions_EveryTableEntryIsPublished()
    {
        foreach (var kind in KindRegistry.ServedKinds)
        {
            var schemas = Schemas(kind);
            var root = schemas.Single(s => s.Value!["x-kubernetes-group-version-kind"] is JsonArray g && (string?)g[0]!["kind"] == kind.Kind).Key;
            AssertTable(schemas, root, PatchMergeKeys.ForKind(kind), kind.Kind);
        }
    }

    [Fact]
    public void ScalarTypes_HaveUpstreamShapes()
    {
        var core = Schemas(KindRegistry.Pods);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.util.intstr.IntOrString", RefOf(Property(core, "io.k8s.api.core.v1.ServicePort", "targetPort")));
        Assert.Equal("int-or-string", (string?)core["io.k8s.apimachinery.pkg.util.intstr.IntOrString"]!["format"]);
        var limits = Property(core, "io.k8s.api.core.v1.ResourceRequirements", "limits");
        Assert.Equal("object", (string?)limits["type"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity", RefOf(limits["additionalProperties"]!.AsObject()));
        Assert.Equal("date-time", (string?)core["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]!["format"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time", RefOf(Property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp")));
        Assert.Equal("byte", (string?)Property(core, "io.k8s.api.core.v1.Secret", "data")["additionalProperties"]!["format"]);
        Assert.Equal("int64", (string?)Property(core, "io.k8s.api.core.v1.PodSpec", "terminationGracePeriodSeconds")["format"]);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1", RefOf(Property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", "fieldsV1")));
        var apps = Schemas(KindRegistry.ControllerRevisions);
        Assert.Equal("#/components/schemas/io.k8s.apimachinery.pkg.runtime.RawExtension", RefOf(Property(apps, "io.k8s.api.apps.v1.ControllerRevision", "data")));
    }

    [Fact]
    public void Required_FromTheTableAndFromValueTypes()
    {
        var core = Schemas(KindRegistry.Pods);
        Assert.Equal(["name"], Required(core, "io.k8s.api.core.v1.Container"));
        Assert.Equal(["port"], Required(core, "io.k8s.api.core.v1.ServicePort"));
        Assert.Equal(["containers"], Required(core, "io.k8s.api.core.v1.PodSpec"));
        Assert.Empty(Required(core, "io.k8s.api.core.v1.Pod"));
        Assert.Equal(["addressType", "endpoints"], Required(Schemas(KindRegistry.EndpointSlices), "io.k8s.api.discovery.v1.EndpointSlice"));
        Assert.Equal(["selector", "template"], Required(Schemas(KindRegistry.Deployments), "io.k8s.api.apps.v1.DeploymentSpec"));
    }

    [Fact]
    public void Descriptions_FromTheDocumentationFile_Reflowed()
    {
        var core = Schemas(KindRegistry.Pods);
        var grace = (string?)Property(core, "io.k8s.api.core.v1.PodSpec", "terminationGracePeriodSeconds")["description"];
        Assert.StartsWith("Optional duration in seconds the pod needs to terminate gracefully.", grace, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", grace!, StringComparison.Ordinal);
        Assert.StartsWith("Pod is a collection of containers", (string?)core["io.k8s.api.core.v1.Pod"]!["description"], StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptions_WithoutTheDocumentationFile_AreAbsentButSchemasRemain()
    {
        var catalog = new OpenApiV3Catalog(KindRegistry.ServedKinds, "/nonexistent/KubernetesClient.xml");
        Assert.True(catalog.TryGet("api/v1", out var body, out _));
        var schemas = JsonNode.Parse(body)!["components"]!["schemas"]!.AsObject();
        Assert.Null(schemas["io.k8s.api.core.v1.Pod"]!["description"]);
        Assert.NotNull(schemas["io.k8s.api.core.v1.PodSpec"]!["properties"]!["containers"]!["x-kubernetes-patch-merge-key"]);
    }

    [Fact]
    public void PatchOperation_DoesNotOfferStrategicMergePatch()
    {
        // kubectl builds client-side apply patches from these schemas only for a kind whose PATCH lists this type.
        foreach (var gv in KindRegistry.ServedKinds.GroupBy(k => (k.Group, k.Version)))
        {
            Assert.True(Catalog.TryGet(OpenApiV3Catalog.RelativePath(gv.Key.Group, gv.Key.Version), out var body, out _));
            foreach (var kind in gv)
            {
                var content = JsonNode.Parse(body)!["paths"]![OpenApiV3Document.ItemPath(kind)]!["patch"]!["requestBody"]!["content"]!.AsObject();
                Assert.False(content.ContainsKey("application/strategic-merge-patch+json"));
            }
        }
    }

    [Fact]
    public void AutoscalingV1_DescribesTheV1HorizontalPodAutoscaler()
    {
        var schemas = Schemas(KindRegistry.HorizontalPodAutoscalersV1);
        const string Spec = "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec";

        Assert.Equal("integer", (string?)Property(schemas, Spec, "targetCPUUtilizationPercentage")["type"]);
        Assert.Equal(["maxReplicas", "scaleTargetRef"], Required(schemas, Spec).Order(StringComparer.Ordinal));
        Assert.Equal(["currentReplicas", "desiredReplicas"],
            Required(schemas, "io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerStatus").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reflow_JoinsLinesAndKeepsParagraphs()
    {
        Assert.Equal("a b c\n\nd e", ModelDescriptions.Reflow("\n    a b\n    c\n    \n    d\n  e\n   "));
    }

    private static JsonObject Schemas(ResourceKind kind)
    {
        Assert.True(Catalog.TryGet(OpenApiV3Catalog.RelativePath(kind.Group, kind.Version), out var body, out _));
        return JsonNode.Parse(body)!["components"]!["schemas"]!.AsObject();
    }

    private static JsonObject Property(JsonObject schemas, string definition, string property) =>
        schemas[definition]!["properties"]![property]!.AsObject();

    private static string? RefOf(JsonObject schema) => (string?)schema["allOf"]?[0]?["$ref"];

    private static List<string> Required(JsonObject schemas, string definition) =>
        schemas[definition]!["required"]?.AsArray().Select(r => (string)r!).ToList() ?? [];

    private static void AssertMarkers(JsonObject schemas, string definition, string property, string? mergeKey, string? strategy)
    {
        var schema = Property(schemas, definition, property);
        Assert.Equal(mergeKey, (string?)schema["x-kubernetes-patch-merge-key"]);
        Assert.Equal(strategy, (string?)schema["x-kubernetes-patch-strategy"]);
    }

    /// <summary>Walks the table from a kind's root along the schemas: each listed field carries its markers.</summary>
    private static void AssertTable(JsonObject schemas, string definition, PatchSchema? table, string path)
    {
        foreach (var (name, field) in table?.Fields ?? new Dictionary<string, PatchField>())
        {
            var property = Property(schemas, definition, name);
            if (field.MergeKey is not null)
            {
                Assert.True(field.MergeKey == (string?)property["x-kubernetes-patch-merge-key"], $"{path}.{name}");
            }
            if (field.IsMergeList)
            {
                Assert.StartsWith("merge", (string?)property["x-kubernetes-patch-strategy"], StringComparison.Ordinal);
            }
            if (field.Schema is not null)
            {
                var target = RefOf(property) ?? RefOf(property["items"]!.AsObject());
                AssertTable(schemas, target!["#/components/schemas/".Length..], field.Schema, $"{path}.{name}");
            }
        }
    }

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" ? [(string)p.Value!] : References(p.Value)),
        JsonArray a => a.SelectMany(References),
        _ => [],
    };
}
