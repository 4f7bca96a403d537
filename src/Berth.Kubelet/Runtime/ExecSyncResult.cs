namespace Berth.Kubelet.Runtime;

/// <summary>
/// Outcome of <see cref="IContainerRuntime.ExecSyncAsync"/>. Output is raw bytes decoded as UTF-8 and capped per
/// stream. Mirrors kubernetes/cri-api pkg/apis/runtime/v1 (ExecSyncResponse).
/// </summary>
/// <param name="ExitCode">Exit code, 128 + n for a signal death; 137 when the timeout killed it.</param>
/// <param name="TimedOut">True when the command outlived its timeout and was killed (an exec probe then fails).</param>
public sealed record ExecSyncResult(int ExitCode, string Stdout, string Stderr, bool TimedOut);
