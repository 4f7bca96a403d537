namespace Berth.Testing.Processes;

/// <summary>
/// A live process of a pod that a test's node agent started: the per-container shim (<see cref="IsShim"/>) or a
/// process of the container (it carries the container's <c>BERTH_CONTAINER_ID</c> marker).
/// </summary>
/// <param name="Pid">The process id.</param>
/// <param name="ContainerId">The container it belongs to (the name of its state directory).</param>
/// <param name="IsShim">True for the shim (<c>…/berth-shim &lt;container dir&gt; …</c>, or the sh one: <c>/bin/sh -c … berth-shim &lt;container dir&gt; …</c>).</param>
/// <param name="CommandLine">argv joined with spaces; for a shim only its container directory, for failure messages.</param>
public sealed record PodProcess(int Pid, string ContainerId, bool IsShim, string CommandLine)
{
    public override string ToString() => $"{Pid} {(IsShim ? "shim" : "container")} {ContainerId}: {CommandLine}";
}
