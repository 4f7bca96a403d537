namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Where one container instance's log lives and how to tell whether more can come.
/// </summary>
/// <param name="LivePath">The live CRI log file; rotated files are <c>LivePath.1</c> (newest) … <c>LivePath.(MaxFiles-1)</c>.</param>
/// <param name="MaxFiles">The runtime's containerLogMaxFiles (live file included).</param>
/// <param name="RealDirectory">The resolved directory every opened file must lie in (see <see cref="LogFileGuard"/>).</param>
/// <param name="IsRunningAsync">True while the container may still write (follow keeps waiting); called at end of file.</param>
internal sealed record LogSource(string LivePath, int MaxFiles, string RealDirectory, Func<CancellationToken, Task<bool>> IsRunningAsync);
