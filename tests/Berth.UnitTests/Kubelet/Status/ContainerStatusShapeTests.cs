using System.Text.Json.Nodes;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;

namespace Berth.UnitTests.Kubelet.Status;

/// <summary>
/// The wire shape of container statuses as a 1.32 kubelet writes them: <c>lastState</c> always present (<c>{}</c>
/// without a previous termination), <c>volumeMounts</c> per spec mount (readOnly ones with
/// <c>recursiveReadOnly: Disabled</c>), kept across restarts, and no extra status writes for either.
/// </summary>
public sealed class ContainerStatusShapeTests : IAsyncDisposable
{
    private readonly KubeletHarness _h = new();

    public async ValueTask DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task RunningPod_StatusHasEmptyLastStateAndSpecVolumeMounts()
    {
        await _h.StartAsync();
        _h.Create(PodWithMounts());
        await _h.WaitForRunningAsync();

        var app = ContainerJson("containerStatuses", "app");
        Assert.True(JsonNode.DeepEquals(new JsonObject(), app["lastState"]));
        var expected = JsonNode.Parse("""
            [{"name":"cfg","mountPath":"/etc/cfg","readOnly":true,"recursiveReadOnly":"Disabled"},
             {"name":"data","mountPath":"/data"}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, app["volumeMounts"]), app["volumeMounts"]?.ToJsonString());
        var side = ContainerJson("containerStatuses", "side");
        Assert.False(side.ContainsKey("volumeMounts"));
        Assert.True(JsonNode.DeepEquals(new JsonObject(), side["lastState"]));
    }

    [Fact]
    public async Task WaitingInitContainer_DefaultStatusHasLastStateAndVolumeMounts()
    {
        _h.Runtime.Behavior = c => new FakeContainerBehavior { ExitAfter = c.ContainerName == "init" ? TimeSpan.FromHours(1) : null };
        await _h.StartAsync();
        var pod = PodWithMounts();
        var init = TestPods.Container("init");
        init.VolumeMounts = [new V1VolumeMount { Name = "data", MountPath = "/data", ReadOnlyProperty = false }];
        pod.Spec.InitContainers = [init];
        _h.Create(pod);
        await _h.WaitForRunningAsync("init");

        var app = ContainerJson("containerStatuses", "app");
        Assert.Equal("PodInitializing", app["state"]?["waiting"]?["reason"]?.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(new JsonObject(), app["lastState"]));
        Assert.Equal(2, app["volumeMounts"]!.AsArray().Count);
        var initJson = ContainerJson("initContainerStatuses", "init");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"name":"data","mountPath":"/data"}]"""), initJson["volumeMounts"]));
    }

    [Fact]
    public async Task CrashingContainer_VolumeMountsKeptWithLastTermination()
    {
        _h.Runtime.Behavior = _ => new FakeContainerBehavior { ExitAfter = TimeSpan.FromSeconds(0.1), ExitCode = 1 };
        await _h.StartAsync();
        _h.Create(PodWithMounts());
        await _h.Time.AdvanceUntilAsync(() => _h.ContainerStatus("app")?.State?.Waiting?.Reason == "CrashLoopBackOff",
            TimeSpan.FromSeconds(60), because: "the crashing container backs off");

        var app = ContainerJson("containerStatuses", "app");
        Assert.Equal(1, app["lastState"]?["terminated"]?["exitCode"]?.GetValue<int>());
        Assert.Equal(2, app["volumeMounts"]!.AsArray().Count);
    }

    [Fact]
    public async Task RunningPod_Resyncs_NoFurtherStatusWrites()
    {
        await _h.StartAsync();
        _h.Create(PodWithMounts());
        await _h.Time.AdvanceUntilAsync(() => _h.Get()?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true,
            TimeSpan.FromSeconds(30), because: "Ready=True");
        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(5));
        var writes = _h.Api.CountActions("patch", KindRegistry.Pods);

        await _h.Time.AdvanceAsync(TimeSpan.FromSeconds(65));

        Assert.Equal(writes, _h.Api.CountActions("patch", KindRegistry.Pods));
    }

    private JsonObject ContainerJson(string list, string name) =>
        _h.Api.GetAsync(KindRegistry.Pods, "default", "web").GetAwaiter().GetResult()
            .GetArray("status", list)!.OfType<JsonObject>().Single(c => c["name"]?.GetValue<string>() == name);

    private static V1Pod PodWithMounts()
    {
        var app = TestPods.Container("app");
        app.VolumeMounts =
        [
            new V1VolumeMount { Name = "cfg", MountPath = "/etc/cfg", ReadOnlyProperty = true },
            new V1VolumeMount { Name = "data", MountPath = "/data" },
        ];
        var pod = TestPods.Pod("web", app, TestPods.Container("side"));
        pod.Spec.Volumes =
        [
            new V1Volume { Name = "cfg", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        return pod;
    }
}
