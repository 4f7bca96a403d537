using Berth.Kubelet.Runtime;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Runs an exec probe inside the container: exit 0 is success, anything else a failure whose output (stdout then
/// stderr) is the event text; a run that outlives <c>timeoutSeconds</c> is killed and fails with
/// <c>command "…" timed out</c>. Exec probes get the container's environment, not the pod's downward API.
/// Mirrors kubernetes/kubernetes pkg/probe/exec/exec.go.
/// </summary>
internal sealed class ExecProber(IContainerRuntime runtime)
{
    public async Task<ProbeOutcome> ProbeAsync(ContainerId id, IReadOnlyList<string> command, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var result = await runtime.ExecSyncAsync(id, command, timeout, cancellationToken).ConfigureAwait(false);
        if (result.TimedOut)
        {
            return ProbeOutcome.Failure($"command \"{string.Join(" ", command)}\" timed out");
        }

        return result.ExitCode == 0 ? ProbeOutcome.Success(result.Stdout) : ProbeOutcome.Failure(result.Stdout + result.Stderr);
    }
}
