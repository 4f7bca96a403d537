using System.Runtime.InteropServices;

namespace Berth.Kubelet.Volumes;

/// <summary>
/// The two file-system calls the BCL lacks: rename(2) on paths that may be symbolic links (File.Move resolves
/// directory links), and the file type bits of stat(2) (sockets and devices for hostPath type checks). Linux only.
/// </summary>
internal static unsafe partial class FileSystemInterop
{
    public const int S_IFMT = 0xF000;
    public const int S_IFSOCK = 0xC000;
    public const int S_IFREG = 0x8000;
    public const int S_IFBLK = 0x6000;
    public const int S_IFDIR = 0x4000;
    public const int S_IFCHR = 0x2000;

    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;

    /// <summary>Atomically replaces <paramref name="to"/> with <paramref name="from"/>; throws <see cref="IOException"/> with errno on failure.</summary>
    public static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
        {
            throw new IOException($"rename {from} {to}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>The <c>S_IFMT</c> bits of <paramref name="path"/> (symlinks followed, as os.Stat), or -1 when it cannot be stat'ed.</summary>
    public static int FileType(string path)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
        {
            return -1;
        }
        return *(ushort*)(buffer + StatxModeOffset) & S_IFMT;
    }

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameNative(string oldPath, string newPath);

    /// <summary>statx(2): the struct statx layout is the same on every architecture (stx_mode is a u16 at offset 28).</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, byte* buffer);
}
