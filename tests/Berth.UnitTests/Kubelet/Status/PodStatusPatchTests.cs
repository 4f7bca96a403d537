using System.Text.Json.Nodes;
using Berth.Kubelet.Status;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>The status write's merge patch carries only the fields that changed, nulls for dropped ones, and the precondition.</summary>
public sealed class PodStatusPatchTests
{
    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Create_TypedCopy_OnlyChangedFieldsAndPrecondition()
    {
        var current = Status(ready: false);
        var merged = Status(ready: true);

        var patch = PodStatusPatch.Create(current, merged, "42");

        Assert.Equal(["conditions", "containerStatuses"], patch["status"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.True(patch["status"]!["containerStatuses"]![0]!["ready"]!.GetValue<bool>());
        Assert.Equal("42", patch["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public void Create_ApiJson_DroppedOwnedFieldIsNulledOthersUntouched()
    {
        var current = Status(ready: true);
        current.Message = "evicted";
        var stored = ZeroTimes.FromModel(current);
        stored["nominatedNodeName"] = "n1";
        var merged = Status(ready: true);

        var patch = PodStatusPatch.Create(stored, ZeroTimes.FromModel(merged), resourceVersion: null);

        var status = patch["status"]!.AsObject();
        Assert.Equal(["message"], status.Select(p => p.Key));
        Assert.Null(status["message"]);
        Assert.Null(patch["metadata"]);
    }

    [Fact]
    public void Create_UnsetTimes_ExplicitNullsAsGoEncodesThem()
    {
        var merged = Status(ready: false);
        merged.ContainerStatuses[0].LastState = new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "ContainerStatusUnknown" },
        };

        var status = PodStatusPatch.Create(new V1PodStatus(), merged, "1")["status"]!;

        var condition = status["conditions"]![0]!.AsObject();
        Assert.True(condition.ContainsKey("lastProbeTime"));
        Assert.Null(condition["lastProbeTime"]);
        var terminated = status["containerStatuses"]![0]!["lastState"]!["terminated"]!.AsObject();
        Assert.True(terminated.ContainsKey("startedAt") && terminated.ContainsKey("finishedAt"));
        Assert.Null(terminated["finishedAt"]);
        Assert.False(status["containerStatuses"]![0]!["state"]!["running"]!.AsObject().ContainsKey("finishedAt"));
    }

    [Fact]
    public void Create_CopyWithoutTheNulls_UnchangedConditionsStillLeftOut()
    {
        var current = Status(ready: true);
        current.QosClass = "Burstable";

        var patch = PodStatusPatch.Create(current, Status(ready: true), "7");

        Assert.Equal(["qosClass"], patch["status"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Create_NoCopyFields_WholeStatus()
    {
        var merged = Status(ready: true);

        var patch = PodStatusPatch.Create(new V1PodStatus(), merged, "1");

        Assert.Equal(["conditions", "containerStatuses", "hostIP", "phase", "qosClass", "startTime"],
            patch["status"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    private static V1PodStatus Status(bool ready) => new()
    {
        Phase = "Running",
        HostIP = "127.0.0.1",
        QosClass = "BestEffort",
        StartTime = Start,
        Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Start }],
        ContainerStatuses =
        [
            new V1ContainerStatus
            {
                Name = "app", Image = "img", ImageID = "", Ready = ready, RestartCount = 0,
                State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = Start } },
                LastState = new V1ContainerState(),
            },
        ],
    };
}
