using System.Text;
using Berth.Kubelet.Interop;
using Berth.Machinery.Errors;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    /// <summary>How long output may keep flowing after the exec'd process exited (a child may hold the pipe).</summary>
    private static readonly TimeSpan ExecOutputDrainTimeout = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Joins the container's cgroup (when it has one) before exec, so the command dies with the container; for a
    /// container with a mount namespace ($3 = /proc/&lt;pid&gt;/ns/mnt) it enters that namespace with nsenter ($2) and
    /// changes to the working directory ($4) there. Spawned with <c>/</c> as its working directory in that case.
    /// </summary>
    private const string ExecWrapper = """
        cg=$1 nse=$2 ns=$3 wd=$4
        shift 4
        if [ -n "$cg" ]; then echo $$ >"$cg/cgroup.procs" || exit 125; fi
        if [ -n "$ns" ]; then exec "$nse" --mount="$ns" /bin/sh -c 'cd "$1" || exit 126; shift; exec "$@"' berth-exec "$wd" "$@"; fi
        exec "$@"
        """;

    public async Task<ExecSyncResult> ExecSyncAsync(ContainerId id, IReadOnlyList<string> argv, TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var record = Get(id);
        if (argv.Count == 0 || argv.Any(a => a.Contains('\0')))
        {
            throw ApiErrors.BadRequest("exec: argv must be non-empty and must not contain NUL");
        }
        var context = GetExecContext(id, argv);
        var request = new SpawnRequest(context.Path, context.Argv, context.Environment)
        {
            WorkingDirectory = context.WorkingDirectory,
            NewSession = true,
        };
        using var exec = ExecProcess.Start(request, _poller, _options.MaxExecOutputBytes);
        return await exec.WaitAsync(timeout, ExecOutputDrainTimeout, _time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The main process's initial environment (/proc/&lt;pid&gt;/environ), which includes the marker.</summary>
    private static List<string> ReadEnviron(int pid, ContainerId id)
    {
        try
        {
            var raw = File.ReadAllBytes($"/proc/{pid}/environ");
            return Encoding.UTF8.GetString(raw).Split('\0', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return BuildEnvironment(new Dictionary<string, string>(), id);
        }
    }
}
