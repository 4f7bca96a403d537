using System.Text.Json.Nodes;
using Berth.Controllers.StatefulSet;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.StatefulSet.StatefulSetTestHost;

namespace Berth.UnitTests.Controllers.StatefulSet;

public sealed class StatefulSetStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static JsonObject Pod(string name, string revision, string? phase, bool ready = false, int readyForSeconds = 100, bool terminating = false)
    {
        var pod = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject { [StatefulSetUtils.ControllerRevisionHashLabel] = revision } },
            ["status"] = new JsonObject(),
        };
        if (phase is not null)
        {
            pod.SetPath(phase, "status", "phase");
        }
        if (ready)
        {
            pod.SetPath(new JsonArray(new JsonObject
            {
                ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = Now.AddSeconds(-readyForSeconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            }), "status", "conditions");
        }
        if (terminating)
        {
            pod.Metadata()["deletionTimestamp"] = "2026-11-28T12:00:00Z";
        }
        return pod;
    }

    [Fact]
    public void Count_MixedPods_CountsLikeUpstream()
    {
        var status = new StatefulSetStatus { CurrentRevision = "old", UpdateRevision = "new" };

        status.Count(10, Now,
        [
            Pod("a", "old", "Running", ready: true),
            Pod("b", "new", "Running", ready: true, readyForSeconds: 5),
            Pod("c", "new", "Pending"),
            Pod("d", "old", "Running", ready: true, terminating: true),
            Pod("e", "new", null),
        ]);

        Assert.Equal((4, 3, 2, 1, 2), (status.Replicas, status.ReadyReplicas, status.AvailableReplicas, status.CurrentReplicas, status.UpdatedReplicas));
    }

    [Fact]
    public void CompleteRollingUpdate_AllUpdatedAndReady_UpdateBecomesCurrent()
    {
        var status = new StatefulSetStatus { CurrentRevision = "old", UpdateRevision = "new" };
        status.Count(0, Now, [Pod("a", "new", "Running", ready: true), Pod("b", "new", "Running", ready: true)]);

        status.CompleteRollingUpdate(NewStatefulSet("web", 2, updateStrategy: new JsonObject { ["type"] = "RollingUpdate" }));

        Assert.Equal(("new", 2), (status.CurrentRevision, status.CurrentReplicas));
    }

    [Fact]
    public void CompleteRollingUpdate_OnDelete_Unchanged()
    {
        var status = new StatefulSetStatus { CurrentRevision = "old", UpdateRevision = "new" };
        status.Count(0, Now, [Pod("a", "new", "Running", ready: true)]);

        status.CompleteRollingUpdate(NewStatefulSet("web", 1, updateStrategy: new JsonObject { ["type"] = "OnDelete" }));

        Assert.Equal(("old", 0), (status.CurrentRevision, status.CurrentReplicas));
    }

    [Fact]
    public void ToJson_ZeroCounts_OmittedButReplicasAndCollisionCountKept()
    {
        var json = new StatefulSetStatus { ObservedGeneration = 2, UpdateRevision = "web-1" }.ToJson(new JsonObject { ["conditions"] = new JsonArray() });

        Assert.Equal("""{"observedGeneration":2,"replicas":0,"updateRevision":"web-1","collisionCount":0,"availableReplicas":0,"conditions":[]}""",
            json.ToJsonString());
    }
}
