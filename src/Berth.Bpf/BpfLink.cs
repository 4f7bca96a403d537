using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Berth.Bpf;

/// <summary>BPF_LINK_CREATE for cgroup attach points.</summary>
public static partial class BpfLink
{
    /// <summary>
    /// Attaches <paramref name="program"/> to the cgroup v2 directory <paramref name="cgroupDirectory"/>: it runs for
    /// every socket of every process in that cgroup and its descendants, after programs attached by others (links
    /// always allow several programs per attach point). Disposing the returned link, or the process exiting, detaches it.
    /// </summary>
    public static BpfHandle AttachCgroup(BpfHandle program, string cgroupDirectory, BpfAttachType attachType)
    {
        var dir = open(cgroupDirectory, ORdOnly | ODirectory | OCloexec);
        if (dir < 0)
        {
            throw new BpfException("open " + cgroupDirectory, Marshal.GetLastPInvokeError());
        }
        try
        {
            Span<byte> attr = stackalloc byte[BpfSyscall.AttrSize];
            attr.Clear();
            BinaryPrimitives.WriteInt32LittleEndian(attr, program.Fd);              // prog_fd
            BinaryPrimitives.WriteInt32LittleEndian(attr[4..], dir);                // target_fd
            BinaryPrimitives.WriteUInt32LittleEndian(attr[8..], (uint)attachType);  // attach_type
            return new BpfHandle(BpfSyscall.Invoke(BpfCommand.LinkCreate, attr, "link create " + attachType));
        }
        finally
        {
            close(dir);
        }
    }

    private const int ORdOnly = 0, ODirectory = 0x10000, OCloexec = 0x80000;

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
