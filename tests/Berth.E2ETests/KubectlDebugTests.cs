using System.Diagnostics;
using System.Text;

namespace Berth.E2ETests;

/// <summary>
/// kubectl debug against the real <c>berth server</c>: an ephemeral container added through
/// <c>pods/{name}/ephemeralcontainers</c>, started by the kubelet, attached to from kubectl's terminal (a
/// pseudo-terminal from <c>script</c>), and reported terminated once its shell exits (default, legacy profile); and a
/// non-interactive one (general profile: adds a SYS_PTRACE capability) whose output <c>kubectl logs -c</c> reads.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlDebugTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromSeconds(60);

    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task DebugInteractive_ShellInEphemeralContainer_RunsAndIsReportedTerminated()
    {
        var ns = await fixture.NewNamespaceAsync("debug-it");
        await RunPodAsync(ns);

        var output = await ScriptAsync($"kubectl --kubeconfig={fixture.Server.KubeconfigPath} debug web -it -n {ns} --image=busybox -- sh",
            "If you don't see a command prompt", "echo dbg-$((6*7)); exit\n");

        Assert.Contains("dbg-42", output, StringComparison.Ordinal);
        var name = await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.spec.ephemeralContainers[0].name}}");
        Assert.StartsWith("debugger-", name, StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.RunAsync($"get pod web -n {ns} -o jsonpath={{.status.ephemeralContainerStatuses[0].state.terminated.exitCode}}")).Stdout == "0",
            timeout: TimeSpan.FromSeconds(30), because: "the ephemeral container's shell exited");
        Assert.Equal("Running", await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.status.phase}}"));
        Assert.Equal("0", await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.status.ephemeralContainerStatuses[0].restartCount}}"));
    }

    [Fact]
    public async Task DebugDetached_EphemeralContainerOutput_ReadByLogsContainer()
    {
        var ns = await fixture.NewNamespaceAsync("debug");
        await RunPodAsync(ns);

        var result = await K.RunAsync($"debug web -n {ns} --profile=general --image=busybox -- sh -c 'echo hi-from-debug'", timeout: KubectlTimeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        var name = await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.spec.ephemeralContainers[0].name}}");
        Assert.StartsWith("debugger-", name, StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            (await K.RunAsync($"get pod web -n {ns} -o jsonpath={{.status.ephemeralContainerStatuses[0].state.terminated.reason}}")).Stdout == "Completed",
            timeout: TimeSpan.FromSeconds(30), because: "the ephemeral container ran to completion");
        Assert.Contains("hi-from-debug", await K.OkAsync($"logs web -n {ns} -c {name}"), StringComparison.Ordinal);
    }

    private async Task RunPodAsync(string ns)
    {
        await K.OkAsync("apply -f -", $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: {{ns}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: busybox:1.36
                command: ["sleep", "3600"]
            """);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get pod web -n {ns} -o jsonpath={{.status.containerStatuses[0].containerID}}")).Stdout.Length > 0,
            timeout: TimeSpan.FromSeconds(30), because: "pod web started");
    }

    /// <summary>
    /// Runs <paramref name="command"/> on a pseudo-terminal from script(1); once its output shows
    /// <paramref name="prompt"/>, types <paramref name="input"/>. Returns everything the terminal showed.
    /// </summary>
    private static async Task<string> ScriptAsync(string command, string prompt, string input)
    {
        var psi = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-qec", command, "/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var text = new StringBuilder();
        var gate = new Lock();
        var pump = PumpAsync(process.StandardOutput, text, gate);
        string Text()
        {
            lock (gate)
            {
                return text.ToString();
            }
        }
        try
        {
            await AsyncTestHelpers.WaitUntilAsync(() => Text().Contains(prompt, StringComparison.Ordinal), timeout: KubectlTimeout,
                because: "kubectl debug attached to the ephemeral container");
            await process.StandardInput.WriteAsync(input);
            await process.StandardInput.FlushAsync();
            await process.WaitForExitAsync().DefaultTimeout(KubectlTimeout);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        await pump.DefaultTimeout();
        return Text();
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder text, Lock gate)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (gate)
            {
                text.Append(buffer, 0, n);
            }
        }
    }
}
