using System.Collections.Frozen;

namespace Berth.Kubelet.Interop;

/// <summary>
/// Linux signal numbers (x86_64 and arm64 agree on all of these) and the names accepted in
/// <c>containers[].lifecycle.stopSignal</c>. Mirrors kubernetes/kubernetes pkg/apis/core/types.go (Signal constants).
/// </summary>
public static class Signals
{
    public const int SIGHUP = 1;
    public const int SIGINT = 2;
    public const int SIGQUIT = 3;
    public const int SIGKILL = 9;
    public const int SIGUSR1 = 10;
    public const int SIGUSR2 = 12;
    public const int SIGPIPE = 13;
    public const int SIGALRM = 14;
    public const int SIGTERM = 15;
    public const int SIGCHLD = 17;
    public const int SIGCONT = 18;
    public const int SIGSTOP = 19;
    public const int SIGTSTP = 20;
    public const int SIGWINCH = 28;

    /// <summary>Exit code a runtime reports for a process ended by <paramref name="signal"/> (128 + n: 143, 137).</summary>
    public static int ExitCodeFor(int signal) => 128 + signal;

    private static readonly FrozenDictionary<string, int> ByName = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["SIGABRT"] = 6, ["SIGALRM"] = SIGALRM, ["SIGBUS"] = 7, ["SIGCHLD"] = SIGCHLD, ["SIGCLD"] = SIGCHLD,
        ["SIGCONT"] = SIGCONT, ["SIGFPE"] = 8, ["SIGHUP"] = SIGHUP, ["SIGILL"] = 4, ["SIGINT"] = SIGINT,
        ["SIGIO"] = 29, ["SIGIOT"] = 6, ["SIGKILL"] = SIGKILL, ["SIGPIPE"] = SIGPIPE, ["SIGPOLL"] = 29,
        ["SIGPROF"] = 27, ["SIGPWR"] = 30, ["SIGQUIT"] = SIGQUIT, ["SIGSEGV"] = 11, ["SIGSTKFLT"] = 16,
        ["SIGSTOP"] = SIGSTOP, ["SIGSYS"] = 31, ["SIGTERM"] = SIGTERM, ["SIGTRAP"] = 5, ["SIGTSTP"] = SIGTSTP,
        ["SIGTTIN"] = 21, ["SIGTTOU"] = 22, ["SIGURG"] = 23, ["SIGUSR1"] = SIGUSR1, ["SIGUSR2"] = SIGUSR2,
        ["SIGVTALRM"] = 26, ["SIGWINCH"] = SIGWINCH, ["SIGXCPU"] = 24, ["SIGXFSZ"] = 25,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Resolves a <c>lifecycle.stopSignal</c> value ("SIGTERM", "SIGUSR1", "SIGRTMIN+3"). Returns false for an
    /// unknown name; callers (validation) turn that into a 422, never a 500.
    /// </summary>
    public static bool TryParse(string? name, out int signal)
    {
        signal = 0;
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }
        if (ByName.TryGetValue(name, out signal))
        {
            return true;
        }
        return TryParseRealtime(name, out signal);
    }

    /// <summary>The name for <paramref name="signal"/> ("SIGTERM"), or "SIG&lt;n&gt;" when it has none.</summary>
    public static string NameOf(int signal)
    {
        foreach (var (name, value) in ByName)
        {
            if (value == signal && name is not ("SIGCLD" or "SIGIOT" or "SIGPOLL"))
            {
                return name;
            }
        }
        return signal is >= 34 and <= 64 ? $"SIGRTMIN+{signal - 34}" : $"SIG{signal}";
    }

    // Linux real-time signals as glibc exposes them (SIGRTMIN = 34, SIGRTMAX = 64), with the ranges the API
    // validation accepts (SIGRTMIN+1..+15, SIGRTMAX-14..-1).
    private static bool TryParseRealtime(string name, out int signal)
    {
        signal = 0;
        if (name == "SIGRTMIN")
        {
            signal = 34;
            return true;
        }
        if (name == "SIGRTMAX")
        {
            signal = 64;
            return true;
        }
        if (name.StartsWith("SIGRTMIN+", StringComparison.Ordinal) && int.TryParse(name.AsSpan(9), out var plus) && plus is >= 1 and <= 15)
        {
            signal = 34 + plus;
            return true;
        }
        if (name.StartsWith("SIGRTMAX-", StringComparison.Ordinal) && int.TryParse(name.AsSpan(9), out var minus) && minus is >= 1 and <= 14)
        {
            signal = 64 - minus;
            return true;
        }
        return false;
    }
}
