using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Deployments, ReplicaSets, StatefulSets, DaemonSets and ControllerRevisions.</summary>
public sealed class WorkloadPrinterTests
{
    private const string Template = """
        "template":{"metadata":{"labels":{"app":"web"}},"spec":{"nodeSelector":{"disk":"ssd"},
          "containers":[{"name":"app","image":"nginx:1.27"},{"name":"log","image":"busybox"}]}}
        """;

    private static string With(string json) => json.Replace("TEMPLATE", Template, StringComparison.Ordinal);

    [Fact]
    public void Deployment_PrintsReadyOverDesiredAndIntegers() =>
        Assert.Equal(["web", "2/3", 3L, 2L, "5m10s", "app,log", "nginx:1.27,busybox", "app=web"],
            Cells(KindRegistry.Deployments, With("""
                {"metadata":{"name":"web","creationTimestamp":"ago:310"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},TEMPLATE},
                 "status":{"replicas":3,"updatedReplicas":3,"readyReplicas":2,"availableReplicas":2}}
                """)));

    [Fact]
    public void Deployment_NoStatusNoReplicas_DefaultsDesiredToOne() =>
        Assert.Equal("0/1", Cell(KindRegistry.Deployments, """{"metadata":{"name":"d"},"spec":{}}""", "Ready"));

    [Fact]
    public void Deployment_InvalidSelector_IsInvalid() =>
        Assert.Equal("<invalid>", Cell(KindRegistry.Deployments,
            """{"spec":{"selector":{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}}}""", "Selector"));

    [Fact]
    public void ReplicaSet_PrintsIntegerCounts() =>
        Assert.Equal(["web-5d8f", 3L, 3L, 1L, "13s", "app,log", "nginx:1.27,busybox", "app=web,pod-template-hash=5d8f"],
            Cells(KindRegistry.ReplicaSets, With("""
                {"metadata":{"name":"web-5d8f","creationTimestamp":"ago:13"},
                 "spec":{"replicas":3,"selector":{"matchLabels":{"pod-template-hash":"5d8f","app":"web"}},TEMPLATE},
                 "status":{"replicas":3,"readyReplicas":1}}
                """)));

    [Fact]
    public void ReplicaSet_ScaledToZero_PrintsZero() =>
        Assert.Equal(0L, Cell(KindRegistry.ReplicaSets, """{"spec":{"replicas":0}}""", "Desired"));

    [Fact]
    public void StatefulSet_PrintsReadyOverDesired() =>
        Assert.Equal(["db", "1/2", "2d", "app,log", "nginx:1.27,busybox"],
            Cells(KindRegistry.StatefulSets, With("""
                {"metadata":{"name":"db","creationTimestamp":"ago:172800"},"spec":{"replicas":2,TEMPLATE},"status":{"readyReplicas":1}}
                """)));

    [Fact]
    public void DaemonSet_PrintsCountsAndNodeSelector() =>
        Assert.Equal(["agent", 1L, 1L, 0L, 1L, 0L, "disk=ssd", "13s", "app,log", "nginx:1.27,busybox", "app=web"],
            Cells(KindRegistry.DaemonSets, With("""
                {"metadata":{"name":"agent","creationTimestamp":"ago:13"},"spec":{"selector":{"matchLabels":{"app":"web"}},TEMPLATE},
                 "status":{"desiredNumberScheduled":1,"currentNumberScheduled":1,"numberReady":0,"updatedNumberScheduled":1,"numberAvailable":0}}
                """)));

    [Fact]
    public void ControllerRevision_PrintsControllerKindGroupAndRevision() =>
        Assert.Equal(["db-7c9", "statefulset.apps/db", 3L, "13s"],
            Cells(KindRegistry.ControllerRevisions, """
                {"metadata":{"name":"db-7c9","creationTimestamp":"ago:13",
                  "ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"x"},{"apiVersion":"apps/v1","kind":"StatefulSet","name":"db","controller":true}]},
                 "revision":3}
                """));

    [Fact]
    public void ControllerRevision_CoreGroupAndNoController()
    {
        Assert.Equal("pod/x", Cell(KindRegistry.ControllerRevisions,
            """{"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"x","controller":true}]}}""", "Controller"));
        Assert.Equal("<none>", Cell(KindRegistry.ControllerRevisions, """{"metadata":{"name":"r"}}""", "Controller"));
    }
}
