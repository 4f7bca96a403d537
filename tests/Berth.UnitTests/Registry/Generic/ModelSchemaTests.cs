using Berth.Machinery.Kinds;
using Berth.Registry.Generic;
using k8s.Models;

namespace Berth.UnitTests.Registry.Generic;

public sealed class ModelSchemaTests
{
    [Fact]
    public void FindEntityTypeByName_EveryBuiltInKind_SameTypeAsTheFullScan()
    {
        var scanned = ModelSchema.FindAllEntityTypes();
        foreach (var kind in KindRegistry.AllKinds)
        {
            var gvk = (kind.Group, kind.Version, kind.Kind);
            Assert.True(scanned.TryGetValue(gvk, out var expected), $"{kind.GroupResource}: no model in KubernetesClient");
            Assert.Equal(expected, ModelSchema.FindEntityTypeByName(gvk));
        }
    }

    [Fact]
    public void FindEntityTypeByName_CoreAndEventsEvent_TheirOwnModels()
    {
        Assert.Equal(typeof(Corev1Event), ModelSchema.FindEntityTypeByName(("", "v1", "Event")));
        Assert.Equal(typeof(Eventsv1Event), ModelSchema.FindEntityTypeByName(("events.k8s.io", "v1", "Event")));
    }

    [Fact]
    public void FindEntityTypeByName_NameOfAnotherGroup_Null()
    {
        // V1Deployment exists, but it is apps/v1: the attribute check rejects it for another group.
        Assert.Null(ModelSchema.FindEntityTypeByName(("example.com", "v1", "Deployment")));
        Assert.Null(ModelSchema.FindEntityTypeByName(("example.com", "v1", "Widget")));
    }

    [Fact]
    public void ForKind_Pod_SchemaOfV1Pod()
    {
        var schema = ModelSchema.ForKind(KindRegistry.Pods);

        Assert.NotNull(schema);
        Assert.Equal(SchemaShape.Object, schema.Shape);
        Assert.Equal("Pod", schema.StructName);
        Assert.Equal(SchemaShape.List, schema.Property("spec")?.Property("containers")?.Shape);
    }
}
