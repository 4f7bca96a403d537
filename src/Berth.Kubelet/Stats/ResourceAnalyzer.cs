using Berth.ApiServer.ResourceMetrics;
using Berth.Kubelet.KubeRuntime;
using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Stats;

/// <summary>
/// The node's resource usage for the metrics API. <see cref="SampleAsync"/> (every <see cref="SamplingInterval"/>
/// while the API is in use, see <see cref="InDemand"/>) records each running container's cumulative CPU time; a query
/// reads the counters afresh and divides the CPU used since the latest sample at least <see cref="MinimumWindow"/> old
/// by the time between them (the window). Memory is the working set at query time. A container appears once it has
/// such a sample, so at most an interval plus a second after it started (metrics-server needs two scrapes, 15 s apart
/// by default). A node nobody asks about costs nothing: the first request after a quiet spell samples at once and
/// answers a window later.
/// </summary>
/// <remarks>
/// Mirrors kubernetes/kubernetes pkg/kubelet/server/stats/resource_analyzer.go and the resource metrics the kubelet
/// serves metrics-server (pkg/kubelet/metrics/collectors/resource_metrics.go). Thread-safe: samples are replaced
/// under one lock; queries read the kernel outside it.
/// </remarks>
public sealed partial class ResourceAnalyzer(IContainerRuntime runtime, PodManager pods, string nodeName, IStatsSource source, TimeProvider time)
    : IResourceMetricsProvider
{
    public static readonly TimeSpan SamplingInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private Dictionary<ContainerId, Tracked> _containers = [];
    private SamplePair _node = new(null, null);

    /// <summary>
    /// Records a sample of every running container and of the node; containers no longer running are forgotten.
    /// Called by one loop at a time; a failing read skips that container until the next call.
    /// </summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        var containers = await runtime.ListContainersAsync(cancellationToken).ConfigureAwait(false);
        var at = Now();
        var next = new Dictionary<ContainerId, Tracked>();
        Dictionary<ContainerId, Tracked> previous;
        lock (_gate)
        {
            previous = _containers;
        }
        foreach (var container in containers.Where(c => c.State == ContainerState.Running))
        {
            if (source.ReadContainer(container) is { } reading)
            {
                var pair = previous.TryGetValue(container.Id, out var known) ? known.Samples : new SamplePair(null, null);
                next[container.Id] = new Tracked(container, pair.Push(new Sample(at, reading.CpuNanos)));
            }
        }
        var node = source.ReadNode();
        lock (_gate)
        {
            _containers = next;
            if (node is { } n)
            {
                _node = _node.Push(new Sample(at, n.CpuNanos));
            }
        }
    }

    public async Task<IReadOnlyList<PodUsage>> ListPodUsageAsync(CancellationToken cancellationToken)
    {
        await EnsureSampledAsync(cancellationToken).ConfigureAwait(false);
        return ListPodUsage();
    }

    public async Task<IReadOnlyList<NodeUsage>> ListNodeUsageAsync(CancellationToken cancellationToken)
    {
        await EnsureSampledAsync(cancellationToken).ConfigureAwait(false);
        return ListNodeUsage();
    }

    /// <summary>The pods' usage now (see the class summary); reads the counters of every tracked container.</summary>
    public IReadOnlyList<PodUsage> ListPodUsage()
    {
        Dictionary<ContainerId, Tracked> tracked;
        lock (_gate)
        {
            tracked = _containers;
        }
        var usage = new List<PodUsage>();
        foreach (var pod in tracked.Values.GroupBy(t => t.Status.PodUid))
        {
            var containers = new List<ContainerUsage>();
            var window = TimeSpan.Zero;
            var at = Now();
            foreach (var t in pod.OrderBy(t => t.Status.ContainerName, StringComparer.Ordinal))
            {
                if (source.ReadContainer(t.Status) is { } reading && t.Samples.Rate(at, reading.CpuNanos, time) is { } rate)
                {
                    containers.Add(new ContainerUsage(t.Status.ContainerName, rate.NanoCores, reading.MemoryBytes));
                    window = rate.Window > window ? rate.Window : window;
                }
            }
            if (containers.Count > 0 && Identify(pod.First().Status) is { } id)
            {
                usage.Add(new PodUsage(id.Namespace, id.Name, id.Labels, at.Time, window, containers));
            }
        }
        return usage;
    }

    /// <summary>The node's usage now, or nothing before its first sample is a second old.</summary>
    public IReadOnlyList<NodeUsage> ListNodeUsage()
    {
        SamplePair node;
        lock (_gate)
        {
            node = _node;
        }
        var at = Now();
        return source.ReadNode() is { } reading && node.Rate(at, reading.CpuNanos, time) is { } rate
            ? [new NodeUsage(nodeName, at.Time, rate.Window, rate.NanoCores, reading.MemoryBytes)]
            : [];
    }

    // The pod's namespace, name and labels: from the pod manager, else from the container's labels (no pod labels).
    private (string Namespace, string Name, IReadOnlyDictionary<string, string> Labels)? Identify(ContainerStatus container)
    {
        if (pods.Get(container.PodUid) is { } pod)
        {
            return (pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name, pod.Metadata.Labels?.AsReadOnly() ?? Empty);
        }
        return container.Labels.TryGetValue(ContainerLabels.PodNamespace, out var ns)
            && container.Labels.TryGetValue(ContainerLabels.PodName, out var name)
            ? (ns, name, Empty)
            : null;
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    private Instant Now() => new(time.GetUtcNow(), time.GetTimestamp());

    private readonly record struct Instant(DateTimeOffset Time, long Timestamp);

    private sealed record Sample(Instant At, long CpuNanos);

    private sealed record Tracked(ContainerStatus Status, SamplePair Samples);

    // The two latest samples; a rate is taken against the newer one when it is at least MinimumWindow old.
    private sealed record SamplePair(Sample? Latest, Sample? Previous)
    {
        public SamplePair Push(Sample sample) => new(sample, Latest);

        public (long NanoCores, TimeSpan Window)? Rate(Instant now, long cpuNanos, TimeProvider clock)
        {
            var from = Latest is { } latest && clock.GetElapsedTime(latest.At.Timestamp, now.Timestamp) >= MinimumWindow ? latest
                : Previous is { } previous && clock.GetElapsedTime(previous.At.Timestamp, now.Timestamp) >= MinimumWindow ? previous
                : null;
            if (from is null)
            {
                return null;
            }
            var window = clock.GetElapsedTime(from.At.Timestamp, now.Timestamp);
            var used = Math.Max(0, cpuNanos - from.CpuNanos);
            return ((long)(used / window.TotalSeconds), window);
        }
    }
}
