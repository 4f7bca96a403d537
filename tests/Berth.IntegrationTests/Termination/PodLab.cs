using Berth.Kubelet.Runtime;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// Drives pods on a real in-process server (real node agent, real <c>ProcessContainerRuntime</c>) through
/// <see cref="IApiClient"/>, and reads what the runtime saw (exit times to the millisecond). Pods are bound to the
/// server's node directly. Not thread-safe per pod; tests use unique pod names.
/// </summary>
internal sealed class PodLab(TestServerHost host)
{
    public const string Ns = "default";

    public IApiClient Api { get; } = host.Services.GetRequiredService<IApiClient>();

    public IContainerRuntime Runtime { get; } = host.Services.GetRequiredService<IContainerRuntime>();

    public string NodeName { get; } = "berth-test";

    public RecordFile NewRecordFile(string name) => new(Path.Combine(host.DataDir, $"{name}-{Guid.NewGuid():N}.rec"));

    public async Task<V1Pod> CreateAsync(V1Pod pod)
    {
        pod.Metadata.NamespaceProperty = Ns;
        pod.Spec.NodeName ??= NodeName;
        var created = await Api.CreateAsync(KindRegistry.Pods, Ns, ApiJson.FromModel(pod)).DefaultTimeout();
        return ApiJson.ToModel<V1Pod>(created);
    }

    public async Task<V1Pod?> GetAsync(string name)
    {
        try
        {
            return ApiJson.ToModel<V1Pod>(await Api.GetAsync(KindRegistry.Pods, Ns, name).DefaultTimeout());
        }
        catch (ApiException e) when (e.Code == 404)
        {
            return null;
        }
    }

    /// <summary>Polls the pod until <paramref name="condition"/> holds (the pod must exist).</summary>
    public async Task<V1Pod> WaitAsync(string name, Func<V1Pod, bool> condition, string because, TimeSpan? timeout = null)
    {
        V1Pod? pod = null;
        await AsyncTestHelpers.WaitUntilAsync(async () => (pod = await GetAsync(name)) is not null && condition(pod), timeout, because);
        return pod!;
    }

    /// <summary>Waits until container <paramref name="container"/> runs and, when given, its recorder wrote READY.</summary>
    public async Task<V1Pod> RunningAsync(string name, RecordFile? record = null, string container = "app")
    {
        var pod = await WaitAsync(name, p => Status(p, container)?.State?.Running is not null, $"{name}/{container} running");
        if (record is not null)
        {
            await record.WaitForAsync("READY");
        }
        return pod;
    }

    /// <summary>Sends DELETE; returns the instant just before the request (the grace countdown starts after it).</summary>
    public async Task<DateTimeOffset> DeleteAsync(string name, long? grace = null, string? uid = null)
    {
        var sent = TimeProvider.System.GetUtcNow();
        await Api.DeleteAsync(KindRegistry.Pods, Ns, name, new DeleteOptions(grace, PreconditionUid: uid)).DefaultTimeout();
        return sent;
    }

    public Task WaitGoneAsync(string name, TimeSpan? timeout = null) =>
        AsyncTestHelpers.WaitUntilAsync(async () => await GetAsync(name) is null, timeout, $"{name} removed");

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string podName)
    {
        var list = await Api.ListAsync(KindRegistry.Events, Ns).DefaultTimeout();
        return [.. list.Items.Select(ApiJson.ToModel<Corev1Event>).Where(e => e.InvolvedObject?.Name == podName)];
    }

    public async Task<Corev1Event> WaitEventAsync(string podName, string reason, Func<Corev1Event, bool>? match = null)
    {
        Corev1Event? found = null;
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (found = (await EventsAsync(podName)).FirstOrDefault(e => e.Reason == reason && (match?.Invoke(e) ?? true))) is not null,
            because: $"event {reason} for {podName}");
        return found!;
    }

    /// <summary>
    /// The runtime's record of the latest instance of a container once it exited (exit time to the millisecond). The
    /// runtime's exit stream is watched from the call on, because the node agent removes the containers of a pod gone
    /// from the API right after their exit: a poll delayed on a loaded machine could miss the Exited state. An exit
    /// reported by the stream completes the instance last listed with the same container ID.
    /// </summary>
    public async Task<ContainerStatus> ExitedAsync(string podUid, string container = "app", int attempt = -1, TimeSpan? timeout = null)
    {
        using var stop = new CancellationTokenSource();
        var exits = new System.Collections.Concurrent.ConcurrentQueue<ContainerExitEvent>();
        var watching = CollectExitsAsync(Runtime.WatchContainerExitsAsync(stop.Token), exits);
        var seen = new Dictionary<ContainerId, ContainerStatus>();
        ContainerStatus? found = null;
        try
        {
            await AsyncTestHelpers.WaitUntilAsync(async () =>
            {
                var all = await Runtime.ListContainersAsync().DefaultTimeout();
                var mine = all.Where(c => c.PodUid == podUid && c.ContainerName == container && (attempt < 0 || c.Attempt == attempt)).ToList();
                mine.ForEach(c => seen[c.Id] = c);
                found = mine.OrderByDescending(c => c.Attempt).FirstOrDefault();
                found = found?.State == ContainerState.Exited ? found : ExitedFromStream(exits, seen, found);
                return found?.State == ContainerState.Exited;
            }, timeout, $"{container} of {podUid} exited");
        }
        finally
        {
            await stop.CancelAsync();
            await watching;
        }
        return found!;
    }

    /// <summary>The newest listed instance completed by its exit event, when the stream reported one (null otherwise).</summary>
    private static ContainerStatus? ExitedFromStream(IEnumerable<ContainerExitEvent> exits, Dictionary<ContainerId, ContainerStatus> seen,
        ContainerStatus? current)
    {
        var exited = exits.Where(e => seen.ContainsKey(e.Id)).Select(e => seen[e.Id] with
        {
            State = ContainerState.Exited,
            ExitCode = e.ExitCode,
            Reason = e.Reason,
            FinishedAt = e.FinishedAt,
        }).OrderByDescending(c => c.Attempt).FirstOrDefault();
        return exited is not null && (current is null || exited.Attempt >= current.Attempt) ? exited : null;
    }

    private static async Task CollectExitsAsync(IAsyncEnumerable<ContainerExitEvent> stream, System.Collections.Concurrent.ConcurrentQueue<ContainerExitEvent> into)
    {
        try
        {
            await foreach (var exit in stream.ConfigureAwait(false))
            {
                into.Enqueue(exit);
            }
        }
        catch (OperationCanceledException)
        {
            // the wait is over
        }
    }

    /// <summary>Every instance the runtime knows of container <paramref name="container"/> of the pod, oldest first.</summary>
    public async Task<IReadOnlyList<ContainerStatus>> InstancesAsync(string podUid, string container)
    {
        var all = await Runtime.ListContainersAsync().DefaultTimeout();
        return [.. all.Where(c => c.PodUid == podUid && c.ContainerName == container).OrderBy(c => c.Attempt)];
    }

    public static V1ContainerStatus? Status(V1Pod pod, string container = "app") =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container)
        ?? pod.Status?.InitContainerStatuses?.FirstOrDefault(s => s.Name == container);

    public static V1PodCondition? Condition(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
