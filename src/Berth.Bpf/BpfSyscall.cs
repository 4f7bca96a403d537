using System.Runtime.InteropServices;

namespace Berth.Bpf;

/// <summary>
/// The raw bpf(2) system call. Attribute blocks are the kernel's <c>union bpf_attr</c>, laid out by each caller in a
/// zeroed 128-byte buffer (the kernel ignores trailing zeros, so one size fits every command used here).
/// </summary>
internal static unsafe partial class BpfSyscall
{
    /// <summary>Size of the attribute buffer passed to every command.</summary>
    public const int AttrSize = 128;

    // __NR_bpf: 321 on x86_64, 280 on the asm-generic architectures (arm64, riscv64).
    private static readonly long Number = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;

    /// <summary>Issues <paramref name="command"/>; returns the kernel's non-negative result or throws <see cref="BpfException"/>.</summary>
    public static int Invoke(BpfCommand command, Span<byte> attr, string operation, Func<string?>? verifierLog = null)
    {
        long result;
        fixed (byte* p = attr)
        {
            result = syscall(Number, (long)command, p, (ulong)attr.Length);
        }
        if (result < 0)
        {
            throw new BpfException(operation, Marshal.GetLastPInvokeError(), verifierLog?.Invoke());
        }
        return (int)result;
    }

    /// <summary>True when <see cref="Invoke"/> of a lookup/delete failed only because the key is absent.</summary>
    public static bool IsNotFound(BpfException ex) => ex.Errno == 2;

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, long command, byte* attr, ulong size);
}
