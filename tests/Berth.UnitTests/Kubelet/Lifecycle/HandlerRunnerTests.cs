using System.Net;
using System.Net.Sockets;
using Berth.Kubelet.Lifecycle;
using Berth.Kubelet.Runtime;
using Berth.Testing.Fakes;
using Berth.UnitTests.Kubelet.TestSupport;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Lifecycle;

/// <summary>Lifecycle handlers (lifecycle/handlers.go): exec, sleep, httpGet (any response succeeds), tcpSocket.</summary>
public sealed class HandlerRunnerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeContainerRuntime _runtime;
    private readonly HttpClient _http = LifecycleHttpClients.Create();
    private readonly RecordingEventRecorder _events;
    private readonly HandlerRunner _runner;

    public HandlerRunnerTests()
    {
        _runtime = new FakeContainerRuntime(_time);
        _events = new RecordingEventRecorder(_time);
        _runner = new HandlerRunner(_runtime, _http, _events, _time, NullLogger<HandlerRunner>.Instance);
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task Run_ExecNonZero_UpstreamsMessageWithTheHooksOutput_NoEvent()
    {
        // Upstream: "… failed - error: command '/bin/hook --now' exited with 2: , message: "broke\n"", which a failed
        // postStart puts in the container's waiting message (the only place its output shows); never in an event.
        var id = await StartAsync(new FakeContainerBehavior { Exec = _ => new FakeExecResult(TimeSpan.Zero, 2, "broke\n") });

        var failure = await _runner.RunAsync(id, TestPods.Pod(), TestPods.Container("app"), TestPods.ExecHook("/bin/hook", "--now"), null, CancellationToken.None).DefaultTimeout();

        Assert.NotNull(failure);
        Assert.StartsWith("Exec lifecycle hook ([/bin/hook --now]) for Container \"app\" in Pod \"web_default(", failure, StringComparison.Ordinal);
        Assert.EndsWith(")\" failed - error: command '/bin/hook --now' exited with 2: , message: \"broke\\n\"", failure, StringComparison.Ordinal);
        Assert.Empty(_events.Events);
    }

    [Fact]
    public async Task Run_SleepCancelled_ContainerTerminatedMessage()
    {
        using var cts = new CancellationTokenSource();
        var run = _runner.RunAsync(default, TestPods.Pod(), TestPods.Container("app"), TestPods.SleepHook(5), null, cts.Token);
        await cts.CancelAsync();

        Assert.Equal("container terminated before sleep hook finished", await run.DefaultTimeout());
    }

    [Fact]
    public async Task Run_TcpSocket_InvalidHandler()
    {
        var handler = new V1LifecycleHandler { TcpSocket = new V1TCPSocketAction { Port = "80" } };

        Assert.Equal("invalid handler", await _runner.RunAsync(default, TestPods.Pod(), TestPods.Container("app"), handler, null, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    [Trait("Category", "Process")]
    public async Task Run_HttpGetAnswered500_SuccessClosedPortFailure()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/shutdown", () => Results.StatusCode(500));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;

        var ok = await _runner.RunAsync(default, TestPods.Pod(), TestPods.Container("app"), HttpHook("/shutdown", port), "127.0.0.1", CancellationToken.None).DefaultTimeout();
        var refused = await _runner.RunAsync(default, TestPods.Pod(), TestPods.Container("app"), HttpHook("/", FreePort()), "127.0.0.1", CancellationToken.None).DefaultTimeout();

        Assert.Null(ok);
        Assert.Contains("connect: connection refused", refused, StringComparison.Ordinal);
        Assert.StartsWith("HTTP lifecycle hook (/) for Container \"app\"", refused, StringComparison.Ordinal);
    }

    private async Task<ContainerId> StartAsync(FakeContainerBehavior behavior)
    {
        _runtime.Behavior = _ => behavior;
        var id = await _runtime.CreateContainerAsync(new ContainerConfig { PodUid = "u", PodNamespace = "default", PodName = "web", ContainerName = "app", Argv = ["/bin/app"] });
        await _runtime.StartContainerAsync(id);
        return id;
    }

    private static V1LifecycleHandler HttpHook(string path, int port) =>
        new() { HttpGet = new V1HTTPGetAction { Path = path, Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
