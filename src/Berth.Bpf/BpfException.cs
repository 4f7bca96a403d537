namespace Berth.Bpf;

/// <summary>A bpf(2) call failed. <see cref="Errno"/> is the kernel's error; a refused program load carries the verifier's log.</summary>
public sealed class BpfException(string operation, int errno, string? verifierLog = null)
    : Exception($"bpf {operation} failed: errno {errno} ({Describe(errno)})" + (string.IsNullOrEmpty(verifierLog) ? "" : "\n" + verifierLog))
{
    public int Errno { get; } = errno;

    public string? VerifierLog { get; } = verifierLog;

    private static string Describe(int errno) => errno switch
    {
        1 => "EPERM: needs CAP_BPF/CAP_SYS_ADMIN, or the attach point refuses it",
        2 => "ENOENT",
        7 => "E2BIG",
        13 => "EACCES: the verifier refused the program",
        22 => "EINVAL",
        38 => "ENOSYS: the kernel has no bpf(2)",
        _ => "see errno(3)",
    };
}
