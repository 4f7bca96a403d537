using Berth.Kubelet.Container;
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Util;
using k8s.Models;

namespace Berth.Kubelet.Prober;

/// <summary>
/// One probe loop for one (pod, container, probe type): probes every <c>periodSeconds</c> (or at once on
/// <see cref="ManualTrigger"/>), counts consecutive results against the success/failure thresholds and publishes the
/// result of the current container instance. Rules (prober/worker.go doProbe): a new container ID resets the result to
/// the initial value and lifts <c>onHold</c>; a non-running container is Failure; once the pod has a
/// deletionTimestamp, liveness and startup record Success and stop ("quiet shutdown") while readiness continues;
/// nothing runs during <c>initialDelaySeconds</c>; startup gates the other two until the container has started and
/// stops probing after that; after a liveness/startup failure the worker holds until a new container ID appears
/// (kubernetes/kubernetes#21751). The loop ends when the pod turns terminal, on <see cref="Stop"/>, or when a
/// container that will not restart (restartPolicy Never) has terminated.
/// Mirrors kubernetes/kubernetes pkg/kubelet/prober/worker.go.
/// </summary>
/// <remarks>One loop task; <see cref="Stop"/> and <see cref="ManualTrigger"/> are thread-safe and idempotent.</remarks>
internal sealed class ProbeWorker
{
    private readonly ProbeManager _manager;
    private readonly V1Probe _spec;
    private readonly CancellationTokenSource _stop = new();
    private readonly AsyncSignal _trigger = new();
    private ContainerId? _containerId;
    private ProbeResult? _lastResult;
    private int _resultRun;
    private bool _onHold;

    public ProbeWorker(ProbeManager manager, ProbeType type, string podUid, V1Container container, V1Probe spec)
    {
        (_manager, Type, PodUid, Container, _spec) = (manager, type, podUid, container, spec);
        Results = manager.ResultsFor(type);
    }

    public ProbeType Type { get; }

    public string PodUid { get; }

    public V1Container Container { get; }

    private ProbeResultsManager Results { get; }

    /// <summary>The loop; returns when the worker stops for any reason. Runs the first probe at once.</summary>
    public async Task RunAsync()
    {
        try
        {
            var period = ProbeSpecs.Period(_spec);
            while (await DoProbeAsync(_stop.Token).ConfigureAwait(false))
            {
                await _trigger.WaitAsync(period, _manager.Time, _stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped.
        }
        finally
        {
            if (_containerId is { } id)
            {
                Results.Remove(id);
            }

            _manager.RemoveWorker(this);
        }
    }

    public void Stop() => _stop.Cancel();

    public void ManualTrigger() => _trigger.Set();

    /// <summary>One round; false ends the loop.</summary>
    private async Task<bool> DoProbeAsync(CancellationToken cancellationToken)
    {
        if (!_manager.TryGetPodStatus(PodUid, out var status) || _manager.GetPod(PodUid) is not { } pod)
        {
            return true;
        }

        if (PodSpecs.IsTerminalPhase(status.Phase))
        {
            return false;
        }

        var c = FindStatus(status);
        if (c is null || string.IsNullOrEmpty(c.ContainerID))
        {
            return true;
        }

        ObserveContainer(c.ContainerID);
        if (_onHold)
        {
            return true;
        }

        if (c.State?.Running is null)
        {
            Results.Set(_containerId!.Value, ProbeResult.Failure, PodUid);
            return c.State?.Terminated is null || PodSpecs.RestartPolicy(pod) != PodSpecs.RestartPolicyNever;
        }

        if (PodSpecs.IsDeleting(pod) && Type is ProbeType.Liveness or ProbeType.Startup)
        {
            Results.Set(_containerId!.Value, ProbeResult.Success, PodUid);
            return false;
        }

        if (!ShouldProbeNow(c))
        {
            return true;
        }

        var result = await _manager.Prober.ProbeAsync(Type, pod, status, Container, _containerId!.Value, cancellationToken).ConfigureAwait(false);
        if (result is { } r)
        {
            Record(r);
        }

        return true;
    }

    private V1ContainerStatus? FindStatus(V1PodStatus status)
    {
        var c = status.ContainerStatuses?.FirstOrDefault(s => s.Name == Container.Name);
        if (c is null || string.IsNullOrEmpty(c.ContainerID))
        {
            c = status.InitContainerStatuses?.FirstOrDefault(s => s.Name == Container.Name);
        }

        return c;
    }

    private void ObserveContainer(string containerId)
    {
        var id = new ContainerId(ContainerIds.Parse(containerId));
        if (_containerId == id)
        {
            return;
        }

        if (_containerId is { } old)
        {
            Results.Remove(old);
        }

        _containerId = id;
        Results.Set(id, ProbeSpecs.InitialValue(Type), PodUid);
        _onHold = false;
        _lastResult = null;
        _resultRun = 0;
    }

    // Initial delay, then startup gating: startup probes only until the container started, the others only after.
    private bool ShouldProbeNow(V1ContainerStatus c)
    {
        var startedAt = c.State!.Running!.StartedAt;
        if (startedAt is { } at && (int)(_manager.Time.GetUtcNow() - new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc))).TotalSeconds < ProbeSpecs.InitialDelaySeconds(_spec))
        {
            return false;
        }

        var started = c.Started == true;
        return Type == ProbeType.Startup ? !started : started;
    }

    private void Record(ProbeResult result)
    {
        if (_lastResult == result)
        {
            _resultRun++;
        }
        else
        {
            (_lastResult, _resultRun) = (result, 1);
        }

        if ((result == ProbeResult.Failure && _resultRun < ProbeSpecs.FailureThreshold(_spec))
            || (result == ProbeResult.Success && _resultRun < ProbeSpecs.SuccessThreshold(_spec)))
        {
            return;
        }

        Results.Set(_containerId!.Value, result, PodUid);
        if (Type is ProbeType.Liveness or ProbeType.Startup && result == ProbeResult.Failure)
        {
            _onHold = true;
            _resultRun = 0;
        }
    }
}
