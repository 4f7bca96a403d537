using k8s.Models;

namespace Berth.IntegrationTests.Termination;

/// <summary>Pod and container builders for the termination scenarios (kubernetes-termination.md §9).</summary>
internal static class TerminationPods
{
    public static V1Pod Pod(string name, long? grace, params V1Container[] containers) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { TerminationGracePeriodSeconds = grace, Containers = [.. containers] },
    };

    /// <summary>A container running the .NET signal recorder writing to <paramref name="record"/>; env tunes it.</summary>
    public static V1Container Recorder(string name, RecordFile record, params (string Name, string Value)[] env) => new()
    {
        Name = name,
        Image = "berth.test/signal-recorder:1",
        Command = TestPrograms.Recorder(record.Path),
        Env =
        [
            new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
            .. env.Select(e => new V1EnvVar { Name = e.Name, Value = e.Value }),
        ],
    };

    public static V1Container Command(string name, params string[] command) => new()
    {
        Name = name,
        Image = "berth.test/shell:1",
        Command = command,
    };

    public static V1Container WithPreStop(this V1Container c, V1LifecycleHandler handler)
    {
        c.Lifecycle ??= new V1Lifecycle();
        c.Lifecycle.PreStop = handler;
        return c;
    }

    public static V1Container WithPostStart(this V1Container c, V1LifecycleHandler handler)
    {
        c.Lifecycle ??= new V1Lifecycle();
        c.Lifecycle.PostStart = handler;
        return c;
    }

    public static V1Container AsSidecar(this V1Container c)
    {
        c.RestartPolicy = "Always";
        return c;
    }

    public static V1LifecycleHandler Exec(params string[] command) => new() { Exec = new V1ExecAction { Command = command } };

    public static V1LifecycleHandler Sleep(long seconds) => new() { Sleep = new V1SleepAction { Seconds = seconds } };

    /// <summary>An httpGet handler to the pod IP (the default host) on <paramref name="port"/>.</summary>
    public static V1LifecycleHandler HttpGet(int port, string path) =>
        new() { HttpGet = new V1HTTPGetAction { Port = port, Path = path } };

    public static V1Probe HttpProbe(int port, string path, int failureThreshold = 1, long? probeGrace = null) => new()
    {
        HttpGet = new V1HTTPGetAction { Port = port, Path = path },
        PeriodSeconds = 1,
        TimeoutSeconds = 1,
        FailureThreshold = failureThreshold,
        TerminationGracePeriodSeconds = probeGrace,
    };

    /// <summary>A port for an HTTP recorder unique across this test process (servers running in parallel share 127.x).</summary>
    public static int NextPort() => 20000 + (Interlocked.Increment(ref port) % 20000);

    private static int port = Random.Shared.Next(0, 10000);
}
