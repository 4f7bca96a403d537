using System.Diagnostics;

namespace Berth.E2ETests;

/// <summary>
/// kubectl attach and kubectl run -i/-it against the real <c>berth server</c>: piped stdin reaching a container's
/// main process with stdinOnce (and --rm deleting the pod after the session), an interactive attach that streams the
/// live output only and keeps the container's stdin open between lines, and a terminal (kubectl on a
/// pseudo-terminal from <c>script</c>) whose size reaches the container.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlAttachTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly TimeSpan KubectlTimeout = TimeSpan.FromSeconds(60);

    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task RunInteractiveRm_PipedStdin_ReachesTheContainerAndThePodIsDeleted()
    {
        var ns = await fixture.NewNamespaceAsync("run-i");

        var result = await K.RunAsync($"run -i --rm --restart=Never x -n {ns} --image=busybox -- sh -c 'read l; echo got:$l'",
            stdin: "hello\n", timeout: KubectlTimeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("got:hello", result.Stdout, StringComparison.Ordinal);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get pod x -n {ns}")).Stderr.Contains("NotFound", StringComparison.Ordinal),
            timeout: TimeSpan.FromSeconds(30), because: "kubectl run --rm deleted the pod");
    }

    [Fact]
    public async Task Attach_Interactive_LiveOutputAndInputLineByLine()
    {
        var ns = await fixture.NewNamespaceAsync("attach");
        await RunPodAsync(ns, "echo before; while read l; do echo got:$l; done");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"logs web -n {ns}")).Stdout.Contains("before", StringComparison.Ordinal),
            timeout: TimeSpan.FromSeconds(30), because: "the container wrote its first line before the attach");
        using var kubectl = StartKubectl($"attach -i web -n {ns}");
        var output = new OutputCollector(kubectl.StandardOutput);
        try
        {
            await kubectl.StandardInput.WriteLineAsync("one");
            await kubectl.StandardInput.FlushAsync();
            await output.WaitForAsync("got:one");
            await kubectl.StandardInput.WriteLineAsync("two");
            await kubectl.StandardInput.FlushAsync();
            await output.WaitForAsync("got:two");
            kubectl.StandardInput.Close();
            await kubectl.WaitForExitAsync().DefaultTimeout(KubectlTimeout);
        }
        finally
        {
            if (!kubectl.HasExited)
            {
                kubectl.Kill(entireProcessTree: true);
            }
        }

        Assert.Equal(0, kubectl.ExitCode);
        Assert.DoesNotContain("before", output.Text, StringComparison.Ordinal);
        Assert.Equal("Running", await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.status.phase}}"));
        Assert.Contains("got:two", await K.OkAsync($"logs web -n {ns}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunTtyRm_FromKubectlsTerminal_ContainerSeesATerminalOfItsSize()
    {
        var ns = await fixture.NewNamespaceAsync("run-it");

        // script(1) gives kubectl a terminal of 100x30; kubectl -t sends that size, which the container waits for.
        var output = await ScriptAsync($"stty cols 100 rows 30; kubectl --kubeconfig={fixture.Server.KubeconfigPath} "
            + $"run -it --rm --restart=Never x -n {ns} --image=busybox -- sh -c 'while [ \"$(stty size)\" = \"0 0\" ]; do sleep 0.05; done; tty; stty size'");

        Assert.Matches(@"/dev/pts/\d+\r\n30 100\r\n", output);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get pod x -n {ns}")).Stderr.Contains("NotFound", StringComparison.Ordinal),
            timeout: TimeSpan.FromSeconds(30), because: "kubectl run --rm deleted the pod");
    }

    private async Task RunPodAsync(string ns, string script)
    {
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              namespace: {{{ns}}}
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: busybox:1.36
                stdin: true
                command: ["sh", "-c", "{{{script}}}"]
            """);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get pod web -n {ns} -o jsonpath={{.status.containerStatuses[0].containerID}}")).Stdout.Length > 0,
            timeout: TimeSpan.FromSeconds(30), because: "pod web started");
    }

    private Process StartKubectl(string args)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig=" + fixture.Server.KubeconfigPath);
        foreach (var a in Kubectl.SplitArgs(args))
        {
            psi.ArgumentList.Add(a);
        }
        var process = Process.Start(psi)!;
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> ScriptAsync(string command)
    {
        var psi = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "-qec", command, "/dev/null" })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().DefaultTimeout(KubectlTimeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.StandardInput.Close();
        return await stdout;
    }

    /// <summary>Collects a process's stdout in the background, for waiting on a line without blocking the test.</summary>
    private sealed class OutputCollector
    {
        private readonly System.Text.StringBuilder _text = new();
        private readonly Lock _gate = new();

        public OutputCollector(StreamReader reader) => _ = PumpAsync(reader);

        public string Text
        {
            get
            {
                lock (_gate)
                {
                    return _text.ToString();
                }
            }
        }

        public Task WaitForAsync(string text) =>
            AsyncTestHelpers.WaitUntilAsync(() => Text.Contains(text, StringComparison.Ordinal), timeout: KubectlTimeout, because: $"kubectl printed {text}");

        private async Task PumpAsync(StreamReader reader)
        {
            var buffer = new char[4096];
            int n;
            while ((n = await reader.ReadAsync(buffer)) > 0)
            {
                lock (_gate)
                {
                    _text.Append(buffer, 0, n);
                }
            }
        }
    }
}
