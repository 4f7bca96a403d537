using Berth.Kubelet.Status;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Status;

public sealed class PodStatusEqualityTests
{
    [Fact]
    public void IsPodStatusByKubeletEqual_EmptyAndAbsentListsAndStrings_Equal()
    {
        var absent = Status();
        var empty = Status();
        empty.ContainerStatuses = [];
        empty.InitContainerStatuses = [];
        empty.PodIPs = [];
        empty.Reason = "";
        empty.PodIP = "";

        Assert.True(PodStatusEquality.IsPodStatusByKubeletEqual(absent, empty));
        Assert.True(PodStatusEquality.IsPodStatusByKubeletEqual(empty, absent));
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_ConditionsReorderedAndRetimed_Equal()
    {
        var old = Status();
        var now = Status();
        now.Conditions = [.. now.Conditions.Reverse()];
        foreach (var c in now.Conditions)
        {
            c.LastTransitionTime = new DateTime(2025, 2, 1, 0, 0, 0, DateTimeKind.Utc);
        }

        Assert.True(PodStatusEquality.IsPodStatusByKubeletEqual(old, now));
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_ConditionStatusChanged_NotEqual()
    {
        var now = Status();
        now.Conditions.Single(c => c.Type == "Ready").Status = "False";

        Assert.False(PodStatusEquality.IsPodStatusByKubeletEqual(Status(), now));
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_ContainerStateChanged_NotEqual()
    {
        var now = Status();
        now.ContainerStatuses = [new V1ContainerStatus { Name = "app", State = new V1ContainerState { Running = new V1ContainerStateRunning() } }];
        var old = Status();
        old.ContainerStatuses = [new V1ContainerStatus { Name = "app", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } } }];

        Assert.False(PodStatusEquality.IsPodStatusByKubeletEqual(old, now));
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_PodIpChanged_NotEqual()
    {
        var now = Status();
        now.PodIP = "127.1.0.7";

        Assert.False(PodStatusEquality.IsPodStatusByKubeletEqual(Status(), now));
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_Compared_ArgumentsUnchanged()
    {
        var old = Status();
        old.PodIPs = [];
        var now = Status();
        now.Conditions = [.. now.Conditions.Reverse()];

        PodStatusEquality.IsPodStatusByKubeletEqual(old, now);

        Assert.NotNull(old.PodIPs);
        Assert.Equal("ContainersReady", now.Conditions[0].Type);
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_WireJson_JsonUnchangedAndSameAnswerAsModels()
    {
        var old = Status();
        old.PodIPs = [];
        old.ContainerStatuses = [Terminated()];
        var now = Status();
        now.ContainerStatuses = [Terminated()];
        var oldJson = ZeroTimes.FromModel(old);
        var json = ZeroTimes.FromModel(now);
        var before = oldJson.ToJsonString() + json.ToJsonString();

        Assert.True(PodStatusEquality.IsPodStatusByKubeletEqual(old, now, oldJson, json));
        Assert.Equal(before, oldJson.ToJsonString() + json.ToJsonString());
        Assert.True(PodStatusEquality.IsPodStatusByKubeletEqual(old, now));
    }

    [Fact]
    public void IsPodStatusByKubeletEqual_WireJson_FieldOnlyInOld_NotEqual()
    {
        var old = Status();
        old.Message = "evicted";

        Assert.False(PodStatusEquality.IsPodStatusByKubeletEqual(old, Status(), ZeroTimes.FromModel(old), ZeroTimes.FromModel(Status())));
        Assert.False(PodStatusEquality.IsPodStatusByKubeletEqual(old, Status()));
    }

    private static V1ContainerStatus Terminated() => new()
    {
        Name = "app",
        State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 137, Reason = "ContainerStatusUnknown" } },
    };

    private static V1PodStatus Status() => new()
    {
        Phase = "Running",
        Conditions =
        [
            new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
            new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
            new V1PodCondition { Type = "ContainersReady", Status = "True", LastTransitionTime = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
        ],
    };
}
