namespace Berth.Kubelet.Interop;

/// <summary>Decodes a waitpid(2) status word the way container runtimes report it.</summary>
internal static class WaitStatus
{
    /// <summary>The signal that ended the process, or 0 when it exited normally (WIFSIGNALED / WTERMSIG).</summary>
    public static int TermSignal(int status) => (status & 0x7f) is var sig && sig != 0 && sig != 0x7f ? sig : 0;

    /// <summary>
    /// The exit code a runtime reports: WEXITSTATUS for a normal exit, 128 + signal for a signal death
    /// (143 for SIGTERM, 137 for SIGKILL), as containerd and CRI-O do.
    /// </summary>
    public static int ExitCode(int status)
    {
        var sig = TermSignal(status);
        return sig != 0 ? Signals.ExitCodeFor(sig) : (status >> 8) & 0xff;
    }
}
