namespace Berth.Proxy.Kernel.Bpf;

/// <summary>A bpf(2) command failed: the command, the errno, and for a refused program load the verifier's log.</summary>
public sealed class BpfException(string command, int errno, string? verifierLog = null)
    : Exception($"{command} failed: errno {errno} ({Describe(errno)})" + (string.IsNullOrEmpty(verifierLog) ? "" : "\n" + verifierLog))
{
    public int Errno { get; } = errno;

    public string? VerifierLog { get; } = verifierLog;

    private static string Describe(int errno) => errno switch
    {
        1 => "EPERM: needs root or CAP_BPF+CAP_NET_ADMIN",
        7 => "E2BIG",
        12 => "ENOMEM",
        13 => "EACCES: the verifier refused the program",
        22 => "EINVAL",
        38 => "ENOSYS: no bpf(2) in this kernel",
        _ => "see errno(3)",
    };
}
