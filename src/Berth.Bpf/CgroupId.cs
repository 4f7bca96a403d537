using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Berth.Bpf;

/// <summary>The id a program sees from <c>bpf_get_current_cgroup_id</c> for a process in a cgroup v2 directory.</summary>
public static partial class CgroupId
{
    /// <summary>
    /// The cgroup's id: on cgroup2 (kernfs) it is the directory's inode number. Throws <see cref="IOException"/> when
    /// the directory cannot be stat'ed.
    /// </summary>
    public static unsafe ulong Of(string cgroupDirectory)
    {
        // struct stat: st_dev (8 bytes) then st_ino (8 bytes) on x86_64 and on the asm-generic layout (arm64, riscv64).
        Span<byte> buffer = stackalloc byte[256];
        fixed (byte* p = buffer)
        {
            if (stat(cgroupDirectory, p) != 0)
            {
                throw new IOException($"stat {cgroupDirectory}: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer[8..]);
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int stat(string path, byte* buffer);
}
