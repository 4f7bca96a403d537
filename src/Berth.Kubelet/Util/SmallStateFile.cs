namespace Berth.Kubelet.Util;

/// <summary>
/// Replaces the content of a small state file so that a process death (kill -9 of the agent) at any moment leaves
/// either the old or the new content, creating no new inode in the common case.
/// </summary>
/// <remarks>
/// When both the old and the new content fit in one memory page, the file is overwritten in place by a single
/// <c>pwrite</c> at offset 0, with the new content padded by spaces to the old length (JSON ignores trailing
/// whitespace, and no truncate follows, so there is no second step to be interrupted). Linux copies a buffered write
/// page by page and checks for a fatal signal only between pages, so a one-page write is never torn by the death of
/// the writer. Otherwise (a larger file, or a file that is not there yet and does not fit) the content goes to a
/// temporary file that is renamed over the old one. Neither path fsyncs: the callers' state only matters while the
/// machine stays up (their processes do not survive a reboot). A machine crash may leave an empty or torn file, which
/// readers must treat as unreadable. Callers serialise writes to one path.
/// </remarks>
internal static class SmallStateFile
{
    /// <summary>The largest content written in place (one page).</summary>
    public static int InPlaceLimit { get; } = Environment.SystemPageSize;

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> (created mode 0600 when missing).</summary>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        if (content.Length > InPlaceLimit || !TryOverwrite(path, content))
        {
            Replace(path, content);
        }
    }

    // False (nothing written) when the existing file is larger than a page: padding it would need more than one page.
    private static bool TryOverwrite(string path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(path, Options(FileMode.OpenOrCreate));
        var handle = stream.SafeFileHandle;
        var oldLength = RandomAccess.GetLength(handle);
        if (oldLength > InPlaceLimit)
        {
            return false;
        }
        if (oldLength <= content.Length)
        {
            RandomAccess.Write(handle, content, 0);
            return true;
        }
        var padded = new byte[oldLength];
        content.CopyTo(padded);
        padded.AsSpan(content.Length).Fill((byte)' ');
        RandomAccess.Write(handle, padded, 0);
        return true;
    }

    private static void Replace(string path, ReadOnlySpan<byte> content)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, Options(FileMode.Create)))
        {
            RandomAccess.Write(stream.SafeFileHandle, content, 0);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.ReadWrite, BufferSize = 0 };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }
        return options;
    }
}
