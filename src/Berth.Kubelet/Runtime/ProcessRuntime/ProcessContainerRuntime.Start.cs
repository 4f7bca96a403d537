using System.ComponentModel;
using Berth.Kubelet.Interop;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;
using Berth.Kubelet.Runtime.ProcessRuntime.Logs;
using Berth.Kubelet.Runtime.ProcessRuntime.Namespaces;
using Berth.Machinery.Errors;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    /// <summary>Upper bound for the shim to report the main PID; it normally takes a few milliseconds.</summary>
    private static readonly TimeSpan StartReportTimeout = TimeSpan.FromSeconds(30);

    public async Task StartContainerAsync(ContainerId id, CancellationToken cancellationToken = default)
    {
        var record = Get(id);
        lock (record.Gate)
        {
            if (record.StartAttempted || record.State.State != ContainerState.Created)
            {
                throw ApiErrors.BadRequest($"container {id} is {record.State.State}, not Created");
            }
            record.StartAttempted = true;
        }
        try
        {
            // Step 1: check what a runtime checks before it forks (mounts, working dir, executable).
            var environment = BuildEnvironment(record.Environment ?? new Dictionary<string, string>(), id);
            var workingDirectory = record.State.Config.WorkingDirectory ?? "/";
            var plan = PrepareMounts(record, out var failure);
            failure ??= CheckStartable(record.State.Config.Argv[0], environment, workingDirectory, plan);
            // Step 2: spawn the shim and learn the main PID from it.
            var pid = failure is null ? await SpawnShimAsync(record, environment, workingDirectory, plan, cancellationToken).ConfigureAwait(false) : null;
            // Step 3: record Running and start pumping logs, or record the failure for the exit handler.
            if (pid is { } mainPid)
            {
                MarkRunning(record, mainPid);
            }
            else
            {
                record.StartFailure = failure ?? ReadStartError(record.Paths) ?? "the container process exited before it could start";
            }
        }
        catch (Exception ex) when (ex is Win32Exception or IOException or UnauthorizedAccessException)
        {
            record.StartFailure = ex.Message;
        }
        catch (OperationCanceledException)
        {
            record.StartFailure = "start was cancelled";
            throw;
        }
        finally
        {
            EndStart(record);
        }
        if (record.StartFailure is { } message)
        {
            await record.Exited.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            throw new ContainerStartException(id, message);
        }
        Log.Started(_logger, record.State.Config.PodUid, record.State.Config.ContainerName, id.Value, record.State.Pid ?? 0);
    }

    // A failed start leaves nothing running: the shim (if any) and its tree are killed, and the exit handler
    // (or, without a shim, this method) records StartError.
    private void EndStart(ContainerRecord record)
    {
        if (record.StartFailure is not null)
        {
            if (record.State.ShimPid is { } shim && record.State.ShimStartTime is { } shimStart)
            {
                KillTree(record);
                if (ProcStat.IsSameLiveProcess(shim, shimStart))
                {
                    Libc.kill(shim, Signals.SIGKILL);
                }
            }
            if (record.ExitWatch is null)
            {
                // No exit handler will run (nothing spawned, or no pidfd): record StartError here.
                FinalizeExit(record, observedLive: true, shimStatus: null);
            }
        }
        record.StartCompleted.TrySetResult();
    }

    // With a mount plan, container paths are checked where they live on the host (through the mounts).
    private static string? CheckStartable(string command, IReadOnlyList<string> environment, string workingDirectory, MountPlan? plan)
    {
        var hostDirectory = plan?.ToHostPath(workingDirectory) ?? workingDirectory;
        if (!Directory.Exists(hostDirectory))
        {
            return $"chdir {workingDirectory}: no such file or directory";
        }
        var path = environment.FirstOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..];
        if (plan is not null)
        {
            path = path is null ? null : plan.ToHostSearchPath(path);
            command = command.Contains('/', StringComparison.Ordinal) && command[0] == '/' ? plan.ToHostPath(command) : command;
        }
        return ExecutableResolver.Resolve(command, path, hostDirectory, out var error) is null ? error : null;
    }

    /// <summary>
    /// envp for the container: its environment, a default PATH, HOME when unset (as runc sets it from the user's
    /// passwd entry: here the agent's user, whose home the processes run with), and the containment marker (last, so
    /// it wins).
    /// </summary>
    private static List<string> BuildEnvironment(IReadOnlyDictionary<string, string> environment, ContainerId id)
    {
        var list = environment.Where(e => e.Key != ContainerMarker.Variable).Select(e => e.Key + "=" + e.Value).ToList();
        if (!environment.ContainsKey("PATH"))
        {
            list.Add("PATH=" + ExecutableResolver.DefaultPath);
        }
        if (!environment.ContainsKey("HOME") && AgentHome.Value is { Length: > 0 } home)
        {
            list.Add("HOME=" + home);
        }
        list.Add(ContainerMarker.Entry(id));
        return list;
    }

    private static readonly Lazy<string> AgentHome = new(() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    // Spawns the shim, watches it for exit, and returns the main PID it reports (null when it exited first).
    private async Task<int?> SpawnShimAsync(ContainerRecord record, IReadOnlyList<string> environment,
        string workingDirectory, MountPlan? plan, CancellationToken cancellationToken)
    {
        var cgroup = _cgroups?.Create(record.Id, record.State.Config.MemoryLimitBytes);
        if (cgroup is null && record.State.Config.MemoryLimitBytes is not null)
        {
            Log.MemoryLimitWithoutCgroup(_logger, record.State.Config.PodUid, record.State.Config.ContainerName, record.Id.Value);
        }
        lock (record.Gate)
        {
            record.State.Cgroup = cgroup; // saved with the shim PID below; FinalizeExit removes it on any failure
        }
        RegisterPodSockets(record);
        // The agent opens the log FIFOs before the shim exists: a container that writes and exits within
        // microseconds must not take its output with it when the shim closes the last other reference.
        var pump = ContainerLogPump.Start(record.Paths, record.State.LogPath, _options, _poller, _time);
        lock (record.Gate)
        {
            record.Pump = pump;
        }
        var (readEnd, writeEnd) = Pipes.Create();
        int shimPid;
        try
        {
            var (shim, argv) = ShimCommand(record, cgroup, workingDirectory, plan);
            shimPid = PosixSpawn.Spawn(new SpawnRequest(shim, argv, environment)
            {
                NewSession = true,
                Descriptors = new Dictionary<int, int> { [3] = writeEnd },
                Opens = new Dictionary<int, (string, int)>
                {
                    [0] = ("/dev/null", Libc.O_RDONLY), [1] = ("/dev/null", Libc.O_WRONLY), [2] = ("/dev/null", Libc.O_WRONLY),
                },
            });
        }
        catch
        {
            Libc.close(readEnd);
            pump.Detach(_poller);
            throw;
        }
        finally
        {
            Libc.close(writeEnd);
        }
        lock (record.Gate)
        {
            record.ShimIsChild = true;
            record.State.ShimPid = shimPid;
            record.State.ShimStartTime = ProcStat.StartTime(shimPid);
            record.Save();
        }
        WatchShim(record, shimPid);
        return await StartPipe.ReadPidAsync(_poller, readEnd, _time, StartReportTimeout, cancellationToken).ConfigureAwait(false);
    }

    private void MarkRunning(ContainerRecord record, int mainPid)
    {
        lock (record.Gate)
        {
            record.State.State = ContainerState.Running;
            record.State.Pid = mainPid;
            record.State.PidStartTime = ProcStat.StartTime(mainPid);
            record.State.StartedAt = _time.GetUtcNow();
            record.Save();
        }
    }

    /// <summary>Registers a pidfd for the shim; its exit runs <see cref="OnShimExitedAsync"/> on the thread pool.</summary>
    private void WatchShim(ContainerRecord record, int shimPid)
    {
        var pidfd = Libc.PidfdOpen(shimPid);
        if (pidfd < 0)
        {
            throw new IOException($"pidfd_open({shimPid}) failed: errno {Libc.LastError} (Linux 5.3+ required)");
        }
        record.ExitWatch = _poller.Register(pidfd, events =>
        {
            _ = Task.Run(() => OnShimExitedAsync(record));
            return false;
        });
    }
}
