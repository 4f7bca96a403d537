using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Berth.Kubelet.Interop;

/// <summary>
/// Starts a child with posix_spawn(3): one vfork-style clone plus exec, safe in a multi-threaded .NET process, and
/// able to do what <see cref="System.Diagnostics.Process"/> cannot: start a new session (setsid), place exact
/// descriptors, and reset every signal to its default disposition. The last matters because the .NET runtime ignores
/// SIGPIPE and ignored dispositions survive exec; a container must start with SIG_DFL everywhere.
/// </summary>
/// <remarks>
/// The caller owns the child: it must reap it (waitpid) or the pid stays a zombie. Thread-safe (no shared state).
/// </remarks>
internal static unsafe class PosixSpawn
{
    /// <summary>Starts the child and returns its pid. Throws <see cref="Win32Exception"/> with the errno on failure.</summary>
    public static int Spawn(SpawnRequest request)
    {
        var strings = new List<nint>();
        var actions = NativeMemory.AllocZeroed(Libc.OpaqueStructSize);
        var attr = NativeMemory.AllocZeroed(Libc.OpaqueStructSize);
        var sigs = NativeMemory.AllocZeroed(Libc.OpaqueStructSize);
        byte** argv = null;
        byte** envp = null;
        try
        {
            Check(Libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
            Check(Libc.posix_spawnattr_init(attr), "posix_spawnattr_init");
            try
            {
                AddFileActions(actions, request);
                ConfigureAttributes(attr, sigs, request.NewSession);
                argv = ToNativeArray(request.Argv, strings);
                envp = ToNativeArray(request.Environment, strings);
                var path = (byte*)Marshal.StringToCoTaskMemUTF8(request.Path);
                strings.Add((nint)path);
                int pid;
                Check(Libc.posix_spawn(&pid, path, actions, attr, argv, envp), "posix_spawn " + request.Path);
                return pid;
            }
            finally
            {
                Libc.posix_spawn_file_actions_destroy(actions);
                Libc.posix_spawnattr_destroy(attr);
            }
        }
        finally
        {
            foreach (var s in strings)
            {
                Marshal.FreeCoTaskMem(s);
            }
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
        }
    }

    private static void AddFileActions(void* actions, SpawnRequest request)
    {
        foreach (var (childFd, (path, flags)) in request.Opens)
        {
            Check(Libc.posix_spawn_file_actions_addopen(actions, childFd, path, flags, 0), "addopen");
        }
        foreach (var (childFd, ourFd) in request.Descriptors)
        {
            Check(Libc.posix_spawn_file_actions_adddup2(actions, ourFd, childFd), "adddup2");
        }
        if (request.WorkingDirectory is { } cwd)
        {
            Check(Libc.posix_spawn_file_actions_addchdir_np(actions, cwd), "addchdir_np");
        }
    }

    private static void ConfigureAttributes(void* attr, void* sigs, bool newSession)
    {
        var flags = (short)(Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK);
        if (newSession)
        {
            flags |= Libc.POSIX_SPAWN_SETSID;
        }
        Libc.sigfillset(sigs);
        Check(Libc.posix_spawnattr_setsigdefault(attr, sigs), "setsigdefault");
        Libc.sigemptyset(sigs);
        Check(Libc.posix_spawnattr_setsigmask(attr, sigs), "setsigmask");
        Check(Libc.posix_spawnattr_setflags(attr, flags), "setflags");
    }

    private static byte** ToNativeArray(IReadOnlyList<string> values, List<nint> owned)
    {
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(values.Count + 1), (nuint)sizeof(nint));
        for (var i = 0; i < values.Count; i++)
        {
            var s = Marshal.StringToCoTaskMemUTF8(values[i]);
            owned.Add(s);
            array[i] = (byte*)s;
        }
        return array;
    }

    // posix_spawn and its helpers return the error number instead of setting errno.
    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new Win32Exception(result, $"{what}: {new Win32Exception(result).Message}");
        }
    }
}
