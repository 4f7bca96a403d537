namespace Berth.Kubelet.Streaming.Logs;

/// <summary>
/// Finds where the last N entries (lines) of a log begin, scanning the files backwards from the newest so a long
/// log is never read in full. An unterminated last line counts as a line. Upstream looks at the live file only;
/// this also reaches into rotated files when the live one holds fewer lines.
/// Mirrors kubernetes/kubernetes pkg/util/tail/tail.go (FindTailLineStartIndex).
/// </summary>
internal static class LogTail
{
    private const int BlockSize = 8 * 1024;

    /// <summary>
    /// The file index (in <paramref name="files"/>, oldest first) and byte offset where reading must start to see the
    /// last <paramref name="lines"/> lines; (files.Count, 0) when <paramref name="lines"/> is 0.
    /// </summary>
    public static (int FileIndex, long Offset) FindStart(IReadOnlyList<FileStream> files, long lines)
    {
        if (lines == 0)
        {
            return (files.Count, 0);
        }
        var remaining = lines;
        for (var i = files.Count - 1; i >= 0; i--)
        {
            var (offset, found) = FindInFile(files[i], remaining);
            if (offset > 0 || found == remaining)
            {
                return (i, offset);
            }
            remaining -= found;
        }
        return (0, 0);
    }

    /// <summary>
    /// Counts lines backwards from the end of one file: the offset of the first of the last <paramref name="wanted"/>
    /// lines (0 when the file has no more than that) and how many lines were found.
    /// </summary>
    private static (long Offset, long Found) FindInFile(FileStream file, long wanted)
    {
        var length = file.Length;
        if (length == 0)
        {
            return (0, 0);
        }
        var buffer = new byte[BlockSize];
        var found = 0L;
        var end = length;
        var skipFinalNewline = true;
        while (end > 0)
        {
            var start = Math.Max(0, end - BlockSize);
            var count = (int)(end - start);
            file.Position = start;
            file.ReadExactly(buffer, 0, count);
            for (var i = count - 1; i >= 0; i--)
            {
                if (buffer[i] != (byte)'\n')
                {
                    skipFinalNewline = false;
                    continue;
                }
                if (skipFinalNewline)
                {
                    // The newline that ends the last line does not start a new one.
                    skipFinalNewline = false;
                    continue;
                }
                if (++found == wanted)
                {
                    return (start + i + 1, found);
                }
            }
            end = start;
        }
        return (0, found + 1);
    }
}
