using System.Runtime.InteropServices;

namespace Berth.Bench.Api;

/// <summary>The two libc calls the bench needs: signals for the server child (Process.Kill only sends SIGKILL) and the clock tick.</summary>
internal static partial class Libc
{
    public const int SigTerm = 15;
    private const int ScClkTck = 2;

    /// <summary>Clock ticks per second of /proc CPU times (USER_HZ, practically always 100).</summary>
    public static long ClockTicksPerSecond { get; } = Math.Max(1, SysConf(ScClkTck));

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
