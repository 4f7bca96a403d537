using System.Runtime.InteropServices;

namespace Berth.E2ETests;

internal static partial class Interop
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);
}
