using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Berth.Kubelet.Streaming.Exec;

namespace Berth.Kubelet.Streaming;

/// <summary>
/// <see cref="IContainerStreamingRuntime"/> for <see cref="ProcessContainerRuntime"/>: the command starts exactly as an
/// ExecSync does (the container's environment and containment marker, its working directory, joined to its cgroup
/// when it has one; the runtime makes no mount namespace, so there is none to enter), but in a session of its own
/// with pipes or a pseudo-terminal wired to the client. The agent is the command's parent and reaps it. Attach
/// connects to the main process instead, through what the container's native shim serves
/// (<see cref="Attach.AttachSession"/>).
/// </summary>
/// <remarks>Thread-safe; one dedicated I/O thread per running session.</remarks>
public sealed class ProcessStreamingRuntime(ProcessContainerRuntime runtime, TimeProvider time) : IContainerStreamingRuntime
{
    public ExecLaunch PrepareExec(ContainerId id, IReadOnlyList<string> command)
    {
        var context = runtime.GetExecContext(id, command);
        return new ExecLaunch(context.Path, context.Argv, context.Environment, context.WorkingDirectory, context.MissingExecutable);
    }

    public Task<int> RunExecAsync(ExecLaunch launch, ExecIo io, CancellationToken cancellationToken) =>
        ExecSession.RunAsync(launch, io, time, cancellationToken);

    public AttachTarget PrepareAttach(ContainerId id) => new(runtime.GetAttachPoint(id));

    public Task RunAttachAsync(AttachTarget target, ExecIo io, CancellationToken cancellationToken) =>
        Attach.AttachSession.RunAsync(target.Point, io, time, cancellationToken);
}
