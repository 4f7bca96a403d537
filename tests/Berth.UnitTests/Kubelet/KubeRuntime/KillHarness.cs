using Berth.Kubelet;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Lifecycle;
using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.KubeRuntime;

/// <summary>A <see cref="ContainerKiller"/> over a <see cref="FakeContainerRuntime"/> on fake time starting at T0.</summary>
internal sealed class KillHarness : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly HttpClient _http = new();

    public KillHarness()
    {
        Runtime = new FakeContainerRuntime(Time);
        Events = new RecordingEventRecorder(Time);
        Killer = new ContainerKiller(Runtime, new HandlerRunner(Runtime, _http, Events, Time, NullLogger<HandlerRunner>.Instance),
            Events, Time, NullLogger<ContainerKiller>.Instance);
    }

    public FakeTimeProvider Time { get; } = new(T0);

    public FakeContainerRuntime Runtime { get; }

    public RecordingEventRecorder Events { get; }

    public ContainerKiller Killer { get; }

    /// <summary>Creates and starts the container <paramref name="name"/> of <paramref name="pod"/> with a behaviour.</summary>
    public async Task<ContainerId> RunAsync(V1Pod pod, string name, FakeContainerBehavior behavior)
    {
        Runtime.Behavior = _ => behavior;
        var id = await Runtime.CreateContainerAsync(new ContainerConfig
        {
            PodUid = pod.Metadata.Uid, PodNamespace = "default", PodName = pod.Metadata.Name, ContainerName = name, Argv = ["/bin/app"],
        });
        await Runtime.StartContainerAsync(id);
        return id;
    }

    /// <summary>Kills with a shared grace override and returns the kill task (not awaited).</summary>
    public Task Kill(V1Pod pod, string name, ContainerId id, GracePeriodOverride? grace, KillReason reason = KillReason.Unknown, string message = "") =>
        Killer.KillContainerAsync(new KillContainerRequest(pod, pod.Spec.Containers.Concat(pod.Spec.InitContainers ?? []).First(c => c.Name == name),
            id, message, reason, grace, null, "127.1.0.1", 15), CancellationToken.None);

    /// <summary>Seconds after T0 of the first runtime record of <paramref name="kind"/> for <paramref name="container"/>.</summary>
    public double At(string kind, string container) => Runtime.Records(kind, container).Single().Time.SecondsSince(T0);

    public void Dispose() => _http.Dispose();
}
