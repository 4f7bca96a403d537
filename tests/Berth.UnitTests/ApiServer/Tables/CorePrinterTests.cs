using Berth.ApiServer.Tables;
using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Namespaces, nodes, config maps, secrets, service accounts, leases and PDBs.</summary>
public sealed class CorePrinterTests
{
    [Fact]
    public void Namespace_PrintsPhase() =>
        Assert.Equal(["kube-system", "Active", "3h"],
            Cells(KindRegistry.Namespaces, """{"metadata":{"name":"kube-system","creationTimestamp":"ago:10800"},"status":{"phase":"Active"}}"""));

    [Fact]
    public void Namespace_Terminating_PrintsPhase() =>
        Assert.Equal("Terminating", Cell(KindRegistry.Namespaces, """{"metadata":{"name":"x"},"status":{"phase":"Terminating"}}""", "Status"));

    [Fact]
    public void ConfigMap_CountsDataAndBinaryData() =>
        Assert.Equal(["cfg", 3L, "2d5h"],
            Cells(KindRegistry.ConfigMaps, """{"metadata":{"name":"cfg","creationTimestamp":"ago:190800"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}"""));

    [Fact]
    public void Secret_PrintsTypeAndDataCount() =>
        Assert.Equal(["tls", "kubernetes.io/tls", 2L, "5m10s"],
            Cells(KindRegistry.Secrets, """{"metadata":{"name":"tls","creationTimestamp":"ago:310"},"type":"kubernetes.io/tls","data":{"tls.crt":"","tls.key":""}}"""));

    [Fact]
    public void ServiceAccount_CountsSecrets() =>
        Assert.Equal(["default", 0L, "13s"], Cells(KindRegistry.ServiceAccounts, """{"metadata":{"name":"default","creationTimestamp":"ago:13"}}"""));

    [Fact]
    public void Lease_PrintsHolderOrEmpty()
    {
        Assert.Equal(["node1", "node1", "40s"],
            Cells(KindRegistry.Leases, """{"metadata":{"name":"node1","creationTimestamp":"ago:40"},"spec":{"holderIdentity":"node1","leaseDurationSeconds":40}}"""));
        Assert.Equal("", Cell(KindRegistry.Leases, """{"metadata":{"name":"free"},"spec":{}}""", "Holder"));
    }

    [Fact]
    public void PodDisruptionBudget_IntOrStringAndNA() =>
        Assert.Equal(["pdb", "50%", "N/A", 1L, "8d"],
            Cells(KindRegistry.PodDisruptionBudgets, """{"metadata":{"name":"pdb","creationTimestamp":"ago:691200"},"spec":{"minAvailable":"50%"},"status":{"disruptionsAllowed":1}}"""));

    [Fact]
    public void PodDisruptionBudget_IntegerMaxUnavailable() =>
        Assert.Equal("1", Cell(KindRegistry.PodDisruptionBudgets, """{"spec":{"maxUnavailable":1}}""", "Max Unavailable"));

    [Fact]
    public void Node_ReadyControlPlane_PrintsWideCells()
    {
        var json = """
            {"metadata":{"name":"node1","creationTimestamp":"ago:600",
                         "labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":"","kubernetes.io/role":"edge","node-role.kubernetes.io/":"x"}},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
                       "addresses":[{"type":"Hostname","address":"node1"},{"type":"InternalIP","address":"192.168.1.5"}],
                       "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Ubuntu 24.04 LTS","kernelVersion":"6.8.0","containerRuntimeVersion":"berth://0.1.0"}}}
            """;
        Assert.Equal(["node1", "Ready", "control-plane,edge,worker", "10m", "v1.32.0", "192.168.1.5", "<none>", "Ubuntu 24.04 LTS", "6.8.0", "berth://0.1.0"],
            Cells(KindRegistry.Nodes, json));
    }

    [Theory]
    [InlineData("""{"status":{"conditions":[{"type":"Ready","status":"False"}]}}""", "NotReady")]
    [InlineData("""{"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""", "NotReady")]
    [InlineData("""{"status":{}}""", "Unknown")]
    [InlineData("""{"spec":{"unschedulable":true},"status":{"conditions":[{"type":"Ready","status":"True"}]}}""", "Ready,SchedulingDisabled")]
    [InlineData("""{"spec":{"unschedulable":true}}""", "Unknown,SchedulingDisabled")]
    public void Node_Status_FromReadyConditionAndCordon(string json, string expected) =>
        Assert.Equal(expected, Cell(KindRegistry.Nodes, json, "Status"));

    [Fact]
    public void Node_WithoutRolesOrInfo_PrintsPlaceholders() =>
        Assert.Equal(["n", "Unknown", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"],
            Cells(KindRegistry.Nodes, """{"metadata":{"name":"n"}}"""));
}
