using static Berth.IntegrationTests.Termination.TerminationPods;

namespace Berth.IntegrationTests.Termination;

/// <summary>
/// kubernetes-termination.md §9 scenarios 3, 4 and 5 on real processes: preStop exec/httpGet/sleep inside the budget,
/// an overrunning hook abandoned at the grace with the 2 s extension, and failing hooks (FailedPreStopHook).
/// </summary>
[Trait("Category", "Process")]
public sealed class PreStopTests(BerthServerFixture fixture) : IClassFixture<BerthServerFixture>
{
    private readonly PodLab lab = new(fixture.Host);

    [Fact]
    public async Task Delete_PreStopSleepOne_SigtermAfterOneSecond()
    {
        var record = lab.NewRecordFile("sleep");
        await lab.CreateAsync(Pod("sleep", 3, Recorder("app", record).WithPreStop(Sleep(1))));
        await lab.RunningAsync("sleep", record);

        var start = await lab.DeleteAsync("sleep");
        var term = await record.WaitForAsync("SIGTERM");

        Tolerances.At(1.0, start, term.At, "SIGTERM after a 1 s sleep hook");
        await lab.WaitGoneAsync("sleep");
    }

    [Fact]
    public async Task Delete_PreStopExecInContainer_SigtermWhenHookEnds()
    {
        var record = lab.NewRecordFile("exec");
        var hook = Exec("/bin/sh", "-c", $"echo \"$(date +%s%3N) HOOK $POD_IP\" >> {record.Path}; sleep 1");
        await lab.CreateAsync(Pod("exec", 3, Recorder("app", record).WithPreStop(hook)));
        var pod = await lab.RunningAsync("exec", record);

        var start = await lab.DeleteAsync("exec");
        var term = await record.WaitForAsync("SIGTERM");

        var ran = record.First("HOOK")!;
        Tolerances.Soon(start, ran.At, "preStop exec", Tolerances.HookSpawn);
        Assert.Equal(pod.Status.PodIP, ran.Detail);
        Tolerances.At(1.0, ran.At, term.At, "SIGTERM after the exec hook (1 s after it began)");
        await lab.WaitGoneAsync("exec");
    }

    [Fact]
    public async Task Delete_PreStopHttpGetToPodIp_SigtermWhenResponseArrives()
    {
        var record = lab.NewRecordFile("http");
        var port = NextPort();
        var app = Recorder("app", record, ("HTTP_PORT", $"{port}")).WithPreStop(HttpGet(port, "/sleep?ms=1000"));
        await lab.CreateAsync(Pod("http", 3, app));
        await lab.RunningAsync("http", record);

        var start = await lab.DeleteAsync("http");
        var term = await record.WaitForAsync("SIGTERM");

        var request = record.Events().First(e => e.Name == "HTTP" && e.Detail!.StartsWith("/sleep", StringComparison.Ordinal));
        Tolerances.Soon(start, request.At, "preStop httpGet", Tolerances.HookSpawn);
        Tolerances.At(1.0, start, term.At, "SIGTERM after the HTTP hook answered");
        await lab.WaitGoneAsync("http");
        Assert.DoesNotContain(await lab.EventsAsync("http"), e => e.Reason == "FailedPreStopHook");
    }

    [Fact]
    public async Task Delete_PreStopOverrunsGrace_AbandonedSigtermAtGraceSigkillTwoLater()
    {
        var record = lab.NewRecordFile("overrun");
        var app = Recorder("app", record, ("IGNORE_TERM", "1")).WithPreStop(Exec("/bin/sleep", "60"));
        var pod = await lab.CreateAsync(Pod("overrun", 2, app));
        await lab.RunningAsync("overrun", record);

        var start = await lab.DeleteAsync("overrun");
        var exited = await lab.ExitedAsync(pod.Metadata.Uid);

        Tolerances.At(2.0, start, record.First("SIGTERM")!.At, "SIGTERM when the hook is abandoned");
        Tolerances.At(4.0, start, exited.FinishedAt!.Value, "SIGKILL after the 2 s extension");
        Assert.Equal(137, exited.ExitCode);
        await lab.WaitGoneAsync("overrun");
        Assert.DoesNotContain(await lab.EventsAsync("overrun"), e => e.Reason == "FailedPreStopHook");
    }

    [Theory]
    [InlineData("exec")]
    [InlineData("closed-port")]
    [InlineData("tcp")]
    public async Task Delete_PreStopFails_FailedPreStopHookThenStopSignalAtOnce(string kind)
    {
        var name = "fail-" + kind;
        var record = lab.NewRecordFile(name);
        var hook = kind switch
        {
            "exec" => Exec("/bin/sh", "-c", "exit 1"),
            "closed-port" => HttpGet(NextPort(), "/"),
            _ => new k8s.Models.V1LifecycleHandler { TcpSocket = new k8s.Models.V1TCPSocketAction { Port = NextPort() } },
        };
        await lab.CreateAsync(Pod(name, 3, Recorder("app", record).WithPreStop(hook)));
        await lab.RunningAsync(name, record);

        var start = await lab.DeleteAsync(name);
        var term = await record.WaitForAsync("SIGTERM");

        Tolerances.Soon(start, term.At, "SIGTERM right after the failed hook");
        var failed = await lab.WaitEventAsync(name, "FailedPreStopHook");
        Assert.Equal(("Warning", "PreStopHook failed"), (failed.Type, failed.Message));
        await lab.WaitGoneAsync(name);
    }

    [Fact]
    public async Task Delete_PreStopHttpGetAnswers500_NotAFailure()
    {
        var record = lab.NewRecordFile("five-hundred");
        var port = NextPort();
        var app = Recorder("app", record, ("HTTP_PORT", $"{port}")).WithPreStop(HttpGet(port, "/fail"));
        await lab.CreateAsync(Pod("five-hundred", 3, app));
        await lab.RunningAsync("five-hundred", record);

        await lab.DeleteAsync("five-hundred");
        await record.WaitForAsync("SIGTERM");
        await lab.WaitGoneAsync("five-hundred");

        Assert.Contains(record.Events(), e => e.Name == "HTTP" && e.Detail == "/fail");
        Assert.DoesNotContain(await lab.EventsAsync("five-hundred"), e => e.Reason == "FailedPreStopHook");
    }
}
