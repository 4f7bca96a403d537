using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// What an attach session needs of one Running container of the <see cref="ProcessContainerRuntime"/>: its live
/// output, the FIFOs its native shim serves (stdin.fifo for input, control.fifo for <c>close-stdin</c> and
/// <c>resize</c>), and the spec's stdin, stdinOnce and tty. Obtained from
/// <see cref="ProcessContainerRuntime.GetAttachPoint"/>; valid for the container's life (a FIFO that lost its shim
/// refuses to open, which a session treats as stdin not being there).
/// </summary>
/// <remarks>Thread-safe; any number of sessions may hold one.</remarks>
internal sealed class ContainerAttachPoint
{
    private readonly ContainerRecord _record;
    private readonly ContainerLogPump _pump;

    internal ContainerAttachPoint(ContainerRecord record, ContainerLogPump pump) => (_record, _pump) = (record, pump);

    public ContainerId Id => _record.Id;

    /// <summary>The spec's <c>stdin</c> (and a stdin.fifo exists).</summary>
    public bool Stdin => _record.State.Config.Stdin;

    public bool StdinOnce => _record.State.Config.StdinOnce;

    public bool Tty => _record.State.Config.Tty;

    public string StdinFifo => _record.Paths.StdinFifo;

    public string ControlFifo => _record.Paths.ControlFifo;

    /// <summary>True once a session closed stdin (stdinOnce): later sessions' input is discarded.</summary>
    public bool StdinClosed
    {
        get
        {
            lock (_record.Gate)
            {
                return _record.State.StdinClosed;
            }
        }
    }

    /// <summary>The container's output from now on, until it ended (both streams at end of file) or the agent stops.</summary>
    public ContainerOutputSubscription SubscribeOutput() => _pump.Output.Subscribe();

    /// <summary>Records (and persists) that stdin was closed; the caller has told the shim.</summary>
    public void MarkStdinClosed()
    {
        lock (_record.Gate)
        {
            _record.State.StdinClosed = true;
            _record.Save();
        }
    }
}
