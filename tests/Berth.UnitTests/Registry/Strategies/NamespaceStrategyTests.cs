using Berth.Machinery.Serialization;
using Berth.Registry.Core.Namespaces;
using static Berth.UnitTests.Registry.Strategies.StrategyTestHelpers;

namespace Berth.UnitTests.Registry.Strategies;

public sealed class NamespaceStrategyTests
{
    [Fact]
    public void Create_NewNamespace_ActiveWithKubernetesFinalizerAndNameLabel()
    {
        var ns = Parse("""{"metadata":{"name":"team-a"},"status":{"phase":"Terminating"}}""");

        Assert.Empty(Create(new NamespaceStrategy(), ns));
        Assert.Equal("Active", ns.GetString("status", "phase"));
        Assert.Equal("""["kubernetes"]""", ns.GetArray("spec", "finalizers")!.ToJsonString());
        Assert.Equal("team-a", ns.GetLabels()["kubernetes.io/metadata.name"]);
    }

    [Theory]
    [InlineData("Team", "metadata.name: Invalid value: \"Team\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("a.b", "metadata.name: Invalid value: \"a.b\": must not contain dots")]
    public void Validate_BadName_DnsLabelMessage(string name, string expected)
    {
        var ns = Parse("""{"metadata":{"name":""" + "\"" + name + "\"" + "}}");

        Assert.Equal([expected], Create(new NamespaceStrategy(), ns));
    }

    [Fact]
    public void Validate_NamespaceSetOnClusterScopedKind_Forbidden()
    {
        var ns = Parse("""{"metadata":{"name":"a","namespace":"default"}}""");

        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], Create(new NamespaceStrategy(), ns));
    }

    [Fact]
    public void PrepareForUpdate_FinalizersAndStatus_KeptFromOld()
    {
        var strategy = new NamespaceStrategy();
        var old = Parse("""{"metadata":{"name":"a"}}""");
        Create(strategy, old);
        var updated = With(old, n => { n.GetObject("spec")!.Remove("finalizers"); n.GetObject("status")!["phase"] = "Terminating"; });

        Assert.Empty(Update(strategy, updated, old));
        Assert.Equal("""["kubernetes"]""", updated.GetArray("spec", "finalizers")!.ToJsonString());
        Assert.Equal("Active", updated.GetString("status", "phase"));
    }

    [Fact]
    public void GetSelectableField_StatusPhase_Answered()
    {
        var ns = Parse("""{"metadata":{"name":"a"}}""");
        Create(new NamespaceStrategy(), ns);

        Assert.Equal("Active", new NamespaceStrategy().GetSelectableField(ns, "status.phase"));
        Assert.Null(new NamespaceStrategy().GetSelectableField(ns, "metadata.namespace"));
    }
}
