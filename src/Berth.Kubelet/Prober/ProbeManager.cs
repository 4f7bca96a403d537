using System.Collections.Concurrent;
using Berth.Kubelet.Container;
using Berth.Kubelet.Runtime;
using k8s.Models;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Owns one <see cref="ProbeWorker"/> per probed container and probe type, the three result caches, and the step of
/// status generation that turns results into <c>started</c>/<c>ready</c>. Sidecars (restartable init containers) and
/// main containers are probed; regular init containers are not.
/// Mirrors kubernetes/kubernetes pkg/kubelet/prober/prober_manager.go.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="AddPod"/> is called on every SyncPod (idempotent), <see cref="StopLivenessAndStartup"/>
/// when termination starts, <see cref="RemovePod"/> after the kill. With probes disabled no worker ever starts, so
/// containers count as started and ready while they run.
/// </remarks>
public sealed class ProbeManager(Prober prober, IPodStatusProvider statuses, TimeProvider time, bool enabled = true)
{
    private readonly ConcurrentDictionary<(string Uid, string Container, ProbeType Type), ProbeWorker> _workers = new();
    private readonly ConcurrentDictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);

    public ProbeResultsManager Liveness { get; } = new();

    public ProbeResultsManager Readiness { get; } = new();

    public ProbeResultsManager Startup { get; } = new();

    internal Prober Prober => prober;

    internal TimeProvider Time => time;

    /// <summary>Starts workers for the pod's probes that have none yet, and remembers the pod as its latest version.</summary>
    public void AddPod(V1Pod pod)
    {
        var uid = PodSpecs.Uid(pod);
        _pods[uid] = pod;
        if (!enabled)
        {
            return;
        }

        var probed = PodSpecs.InitContainers(pod).Where(PodSpecs.IsRestartableInitContainer).Concat(PodSpecs.Containers(pod));
        foreach (var container in probed)
        {
            foreach (var type in Enum.GetValues<ProbeType>())
            {
                if (ProbeSpecs.For(container, type) is { } spec && !_workers.ContainsKey((uid, container.Name, type)))
                {
                    var worker = new ProbeWorker(this, type, uid, container, spec);
                    if (_workers.TryAdd((uid, container.Name, type), worker))
                    {
                        _ = Task.Run(worker.RunAsync);
                    }
                }
            }
        }
    }

    /// <summary>Records a newer version of the pod (deletionTimestamp is what the workers look at).</summary>
    public void UpdatePod(V1Pod pod)
    {
        var uid = PodSpecs.Uid(pod);
        if (_pods.ContainsKey(uid))
        {
            _pods[uid] = pod;
        }
    }

    /// <summary>Stops the liveness and startup workers of the pod (termination began); readiness keeps running.</summary>
    public void StopLivenessAndStartup(V1Pod pod)
    {
        UpdatePod(pod);
        foreach (var (key, worker) in _workers.Where(w => w.Key.Uid == PodSpecs.Uid(pod) && w.Key.Type != ProbeType.Readiness))
        {
            worker.Stop();
        }
    }

    /// <summary>Stops every worker of the pod and forgets it.</summary>
    public void RemovePod(string podUid)
    {
        foreach (var (_, worker) in _workers.Where(w => w.Key.Uid == podUid))
        {
            worker.Stop();
        }

        _pods.TryRemove(podUid, out _);
    }

    /// <summary>Stops every worker (agent shutdown).</summary>
    public void StopAll()
    {
        foreach (var worker in _workers.Values)
        {
            worker.Stop();
        }

        _pods.Clear();
    }

    /// <summary>True while any worker of the pod runs.</summary>
    public bool HasWorkers(string podUid) => _workers.Keys.Any(k => k.Uid == podUid);

    /// <summary>
    /// Sets <c>started</c> and <c>ready</c> of every container status from the cached results: started = startup
    /// Success (no startup probe: running); ready = started and readiness Success (no readiness probe: running). A
    /// readiness worker that has no result yet is triggered at once. Regular init containers are ready once they
    /// exited 0. Mutates <paramref name="status"/>.
    /// </summary>
    public void UpdatePodStatus(V1Pod pod, V1PodStatus status)
    {
        var uid = PodSpecs.Uid(pod);
        foreach (var c in status.ContainerStatuses ?? [])
        {
            SetStartedAndReady(uid, c);
        }

        foreach (var c in status.InitContainerStatuses ?? [])
        {
            if (PodSpecs.IsSidecar(pod, c.Name))
            {
                SetStartedAndReady(uid, c);
            }
            else
            {
                c.Ready = c.State?.Terminated is { ExitCode: 0 };
                c.Started = c.State?.Running is not null;
            }
        }
    }

    internal ProbeResultsManager ResultsFor(ProbeType type) => type switch
    {
        ProbeType.Liveness => Liveness,
        ProbeType.Readiness => Readiness,
        _ => Startup,
    };

    internal bool TryGetPodStatus(string podUid, out V1PodStatus status) => statuses.TryGetPodStatus(podUid, out status);

    internal V1Pod? GetPod(string podUid) => _pods.TryGetValue(podUid, out var pod) ? pod : null;

    internal void RemoveWorker(ProbeWorker worker) =>
        _workers.TryRemove(new KeyValuePair<(string, string, ProbeType), ProbeWorker>((worker.PodUid, worker.Container.Name, worker.Type), worker));

    private void SetStartedAndReady(string uid, V1ContainerStatus c)
    {
        var running = c.State?.Running is not null;
        var id = string.IsNullOrEmpty(c.ContainerID) ? (ContainerId?)null : new ContainerId(ContainerIds.Parse(c.ContainerID));
        var started = running && Result(Startup, id, uid, c.Name, ProbeType.Startup, triggerWhenMissing: false) is null or ProbeResult.Success;
        c.Started = started;
        c.Ready = started && Result(Readiness, id, uid, c.Name, ProbeType.Readiness, triggerWhenMissing: true) is null or ProbeResult.Success;
    }

    // The cached result, Unknown when a worker exists but has none yet, or null when the container has no such probe.
    private ProbeResult? Result(ProbeResultsManager results, ContainerId? id, string uid, string name, ProbeType type, bool triggerWhenMissing)
    {
        if (id is { } containerId && results.TryGet(containerId, out var result))
        {
            return result;
        }

        if (!_workers.TryGetValue((uid, name, type), out var worker))
        {
            return null;
        }

        if (triggerWhenMissing)
        {
            worker.ManualTrigger();
        }

        return ProbeResult.Unknown;
    }
}
