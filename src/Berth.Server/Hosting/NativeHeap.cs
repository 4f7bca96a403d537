using System.Runtime.InteropServices;

namespace Berth.Server.Hosting;

/// <summary>
/// glibc's <c>malloc_trim(0)</c>: returns the free pages of every malloc arena (not only the top of the main heap) to
/// the kernel. A no-op where the C library has no such function (musl). Thread-safe (glibc locks each arena).
/// </summary>
internal static partial class NativeHeap
{
    private static bool _unavailable;

    public static void Trim()
    {
        if (_unavailable || !OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
            _unavailable = true;
        }
        catch (DllNotFoundException)
        {
            _unavailable = true;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
