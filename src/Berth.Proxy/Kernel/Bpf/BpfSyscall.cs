using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Proxy.Kernel.Bpf;

/// <summary>
/// The few bpf(2) commands the socket load balancer needs, through <c>syscall(SYS_bpf, cmd, &amp;attr, size)</c> (glibc
/// has no wrapper). Each command fills a zeroed <c>union bpf_attr</c> of <see cref="AttrSize"/> bytes at the offsets of
/// include/uapi/linux/bpf.h, which are the same on every 64-bit architecture. Failures throw <see cref="BpfException"/>
/// with the errno; a load refused by the verifier carries its log.
/// </summary>
internal static unsafe partial class BpfSyscall
{
    /// <summary>Larger than every member of the union we fill; the kernel checks the tail beyond what it knows is zero.</summary>
    private const int AttrSize = 128;

    private const int MapCreate = 0;
    private const int MapLookupElem = 1;
    private const int MapUpdateElem = 2;
    private const int MapDeleteElem = 3;
    private const int ProgLoad = 5;
    private const int LinkCreate = 28;

    /// <summary>__NR_bpf: 321 on x86_64, 280 on arm64 (the generic table).</summary>
    private static long SysBpf => RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 321 : 280;

    /// <summary>BPF_MAP_CREATE: a map of fixed-size keys and values; the kernel preallocates hash maps.</summary>
    public static SafeFileHandle CreateMap(BpfMapType type, int keySize, int valueSize, int maxEntries, string name)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)type;
        *(uint*)(attr + 4) = (uint)keySize;
        *(uint*)(attr + 8) = (uint)valueSize;
        *(uint*)(attr + 12) = (uint)maxEntries;
        WriteName(attr + 28, name); // map_name[16], after map_flags, inner_map_fd, numa_node
        return Handle(Call(MapCreate, attr), "BPF_MAP_CREATE " + name);
    }

    /// <summary>BPF_MAP_UPDATE_ELEM with BPF_ANY: inserts or replaces. A hash map swaps the whole element (RCU), so a concurrent lookup sees the old or the new value, never a mix.</summary>
    public static void Update(SafeFileHandle map, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        fixed (byte* k = key, v = value)
        {
            Check(ElementCall(MapUpdateElem, map, k, v), "BPF_MAP_UPDATE_ELEM");
        }
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM: copies the value into <paramref name="value"/>; false when the key is absent.</summary>
    public static bool Lookup(SafeFileHandle map, ReadOnlySpan<byte> key, Span<byte> value)
    {
        fixed (byte* k = key, v = value)
        {
            return ElementCall(MapLookupElem, map, k, v) == 0 || Absent("BPF_MAP_LOOKUP_ELEM");
        }
    }

    /// <summary>BPF_MAP_DELETE_ELEM; false when the key was absent.</summary>
    public static bool Delete(SafeFileHandle map, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            return ElementCall(MapDeleteElem, map, k, null) == 0 || Absent("BPF_MAP_DELETE_ELEM");
        }
    }

    /// <summary>BPF_PROG_LOAD of <paramref name="instructions"/> (8 bytes each) for <paramref name="attachType"/>; a verifier refusal throws with its log.</summary>
    public static SafeFileHandle LoadProgram(BpfProgramType type, BpfAttachType attachType, ReadOnlySpan<byte> instructions, string license, string name)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        var log = new byte[64 * 1024];
        var licenseBytes = System.Text.Encoding.ASCII.GetBytes(license + "\0");
        fixed (byte* insns = instructions, lic = licenseBytes, logBuffer = log)
        {
            *(uint*)attr = (uint)type;
            *(uint*)(attr + 4) = (uint)(instructions.Length / BpfInstruction.Size);
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)lic;
            *(uint*)(attr + 24) = 1; // log_level: the verifier's log on failure
            *(uint*)(attr + 28) = (uint)log.Length;
            *(ulong*)(attr + 32) = (ulong)logBuffer;
            WriteName(attr + 48, name); // prog_name[16], after kern_version and prog_flags
            *(uint*)(attr + 68) = (uint)attachType; // expected_attach_type, after prog_ifindex
            var fd = Call(ProgLoad, attr);
            if (fd < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                var text = System.Text.Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0)));
                throw new BpfException("BPF_PROG_LOAD " + name, errno, text);
            }
            return new SafeFileHandle((nint)fd, ownsHandle: true);
        }
    }

    /// <summary>
    /// BPF_LINK_CREATE: attaches <paramref name="program"/> to the cgroup directory <paramref name="target"/> and returns
    /// the link. The attachment lives exactly as long as the link's file descriptor: closing it, or the process dying,
    /// detaches the program (unlike BPF_PROG_ATTACH, which outlives the process).
    /// </summary>
    public static SafeFileHandle CreateLink(SafeFileHandle program, SafeFileHandle target, BpfAttachType attachType)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)program.DangerousGetHandle();
        *(uint*)(attr + 4) = (uint)target.DangerousGetHandle();
        *(uint*)(attr + 8) = (uint)attachType;
        return Handle(Call(LinkCreate, attr), "BPF_LINK_CREATE");
    }

    /// <summary>open(2) of a directory (O_RDONLY | O_DIRECTORY | O_CLOEXEC): the target of a cgroup attachment. .NET's file APIs refuse directories.</summary>
    public static SafeFileHandle OpenDirectory(string path)
    {
        var directory = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x4000 : 0x10000;
        var fd = Open(path, directory | 0x80000, 0);
        if (fd < 0)
        {
            throw new BpfException("open " + path, Marshal.GetLastPInvokeError());
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static long ElementCall(int cmd, SafeFileHandle map, byte* key, byte* value)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)attr = (uint)map.DangerousGetHandle();
        *(ulong*)(attr + 8) = (ulong)key;
        *(ulong*)(attr + 16) = (ulong)value; // flags (offset 24) stay BPF_ANY
        return Call(cmd, attr);
    }

    private static long Call(int cmd, byte* attr) => Syscall(SysBpf, cmd, attr, AttrSize);

    private static bool Absent(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return errno == 2 ? false : throw new BpfException(what, errno); // ENOENT
    }

    private static void Check(long result, string what)
    {
        if (result < 0)
        {
            throw new BpfException(what, Marshal.GetLastPInvokeError());
        }
    }

    private static SafeFileHandle Handle(long fd, string what)
    {
        Check(fd, what);
        return new SafeFileHandle((nint)fd, ownsHandle: true);
    }

    private static void WriteName(byte* destination, string name)
    {
        var length = Math.Min(name.Length, 15);
        for (var i = 0; i < length; i++)
        {
            destination[i] = (byte)name[i];
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long cmd, byte* attr, long size);
}

/// <summary>enum bpf_map_type values we use.</summary>
internal enum BpfMapType : uint
{
    Hash = 1,
    Array = 2,
}

/// <summary>enum bpf_prog_type values we use.</summary>
internal enum BpfProgramType : uint
{
    CgroupSockAddr = 18,
}

/// <summary>enum bpf_attach_type values we use.</summary>
internal enum BpfAttachType : uint
{
    CgroupInet4Connect = 10,
}
