using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Bpf;

/// <summary>
/// A file descriptor the kernel returned for a map, program or link. Closing the last descriptor of a link detaches
/// its program, so a process that dies never leaves a program attached behind it.
/// </summary>
public sealed partial class BpfHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    internal BpfHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    /// <summary>The descriptor number, for attribute blocks. Valid while this handle is not disposed.</summary>
    public int Fd => (int)handle;

    protected override bool ReleaseHandle() => close((int)handle) == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
