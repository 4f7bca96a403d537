using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.TestSupport;

/// <summary>Small pod specs for kubelet tests; containers run <c>/bin/app</c> unless a command is given.</summary>
internal static class TestPods
{
    public const string Node = "node-a";

    public static V1Pod Pod(string name = "web", params V1Container[] containers) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString(), ResourceVersion = "1" },
        Spec = new V1PodSpec
        {
            NodeName = Node,
            RestartPolicy = "Always",
            TerminationGracePeriodSeconds = 30,
            Containers = containers.Length > 0 ? [.. containers] : [Container("app")],
        },
        Status = new V1PodStatus { Phase = "Pending" },
    };

    public static V1Container Container(string name, params string[] command) => new()
    {
        Name = name,
        Image = "example.com/" + name + ":1",
        Command = command.Length > 0 ? [.. command] : ["/bin/app"],
    };

    public static V1Container Sidecar(string name)
    {
        var c = Container(name);
        c.RestartPolicy = "Always";
        return c;
    }

    public static V1LifecycleHandler ExecHook(params string[] command) => new() { Exec = new V1ExecAction { Command = [.. command] } };

    public static V1LifecycleHandler SleepHook(long seconds) => new() { Sleep = new V1SleepAction { Seconds = seconds } };

    public static V1Pod WithGrace(this V1Pod pod, long seconds)
    {
        pod.Spec.TerminationGracePeriodSeconds = seconds;
        return pod;
    }

    public static V1Pod Deleting(this V1Pod pod, long grace, DateTimeOffset now)
    {
        var copy = ApiJson.ToModel<V1Pod>(ApiJson.FromModel(pod));
        copy.Metadata.DeletionGracePeriodSeconds = grace;
        copy.Metadata.DeletionTimestamp = (now + TimeSpan.FromSeconds(grace)).UtcDateTime;
        return copy;
    }

    public static JsonObject ToJson(this V1Pod pod) => ApiJson.FromModel(pod);
}
