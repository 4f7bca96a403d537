using Berth.Kubelet.Interop;
using Microsoft.Win32.SafeHandles;

namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Opens container log files for reading without ever following a symlink out of the container's log directory.
/// The file is opened first (non-blocking, so a planted FIFO cannot hang the request), then the path the kernel
/// actually opened (<c>/proc/self/fd/N</c>) must lie inside the allowed directory, which is itself resolved the same
/// way; only seekable (regular) files pass. Checking what was opened, not the name, leaves no window for a swap.
/// </summary>
/// <remarks>Stateless and thread-safe. Linux only (uses /proc/self/fd).</remarks>
internal static class LogFileGuard
{
    private const int O_DIRECTORY = 0x10000;
    private const int O_NOCTTY = 0x100;

    /// <summary>The real path of an existing directory (every symlink resolved); null when it cannot be opened.</summary>
    public static string? RealDirectory(string directory)
    {
        var fd = Libc.open(directory, Libc.O_RDONLY | O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return null;
        }
        try
        {
            return OpenedPath(fd);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> if it is a regular file inside <paramref name="realDirectory"/> (a path from
    /// <see cref="RealDirectory"/>). Returns null when the file does not exist; throws
    /// <see cref="UnauthorizedAccessException"/> when it resolves elsewhere or is not a regular file.
    /// </summary>
    public static FileStream? OpenForRead(string path, string realDirectory)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC | O_NOCTTY, 0);
        if (fd < 0)
        {
            return null;
        }
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var opened = OpenedPath(fd);
            if (opened is null || !opened.StartsWith(realDirectory.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                throw new UnauthorizedAccessException($"log file {path} resolves outside its log directory");
            }
            var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            if (!stream.CanSeek)
            {
                stream.Dispose();
                throw new UnauthorizedAccessException($"log file {path} is not a regular file");
            }
            return stream;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Where an open descriptor points now (follows renames; an unlinked file ends in " (deleted)"). Used both for
    /// the containment check and to notice that a followed file was rotated away.
    /// </summary>
    public static string? OpenedPath(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary><see cref="OpenedPath(int)"/> for an open stream.</summary>
    public static string? OpenedPath(FileStream stream) => OpenedPath((int)stream.SafeFileHandle.DangerousGetHandle());
}
