using System.Diagnostics;

namespace Berth.E2ETests;

/// <summary>
/// kubectl logs and exec against the real <c>berth server</c>, whose node agent runs the pods (issue 3 §2 "Logs" and
/// "kubectl exec"): logs with tail/timestamps/follow/previous and through a Deployment, exec with exit codes, stdin,
/// the container's environment and working directory, and a terminal (kubectl itself on a pseudo-terminal from
/// <c>script</c>) including the resize it sends.
/// </summary>
[Trait("Category", "E2E")]
public sealed class KubectlLogsExecTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>The server's node name: <c>berth server</c> defaults it to the host name.</summary>
    private static readonly string NodeName = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task Logs_AllTailTimestamps_FromTheRunningContainer()
    {
        var ns = await fixture.NewNamespaceAsync("logs");
        await RunPodAsync(ns, "web", "echo one; echo two; echo three >&2; sleep 3600");
        await WaitForLogAsync(ns, "web", "three");

        Assert.Equal("one\ntwo\nthree\n", await K.OkAsync($"logs web -n {ns}"));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z three\n$", await K.OkAsync($"logs web -n {ns} --tail=1 --timestamps"));
        Assert.Equal("", await K.OkAsync($"logs web -n {ns} --since-time=2999-01-01T00:00:00Z"));
        Assert.Equal("one\ntw", await K.OkAsync($"logs web -n {ns} --limit-bytes=6"));
    }

    [Fact]
    public async Task Logs_Follow_EndsWhenTheContainerExits()
    {
        var ns = await fixture.NewNamespaceAsync("follow");
        await RunPodAsync(ns, "web", "echo start; sleep 4; echo done", restartPolicy: "Never");
        await WaitForLogAsync(ns, "web", "start");

        var result = await K.RunAsync($"logs -f web -n {ns}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("start\ndone\n", result.Stdout);
    }

    [Fact]
    public async Task Logs_Previous_AfterARestart()
    {
        var ns = await fixture.NewNamespaceAsync("previous");
        await RunPodAsync(ns, "web", "echo life; sleep 1; exit 1");

        var missing = await K.RunAsync($"logs web -n {ns} --previous");
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"logs web -n {ns} --previous")).Stdout == "life\n",
            timeout: TimeSpan.FromSeconds(60), because: "the first instance terminated and its log is kept");

        Assert.True(missing.ExitCode != 0 || missing.Stdout == "life\n", missing.ToString());
        if (missing.ExitCode != 0)
        {
            Assert.Contains("Error from server (BadRequest):", missing.Stderr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Logs_Deployment_PicksAPodByItsSelector()
    {
        var ns = await fixture.NewNamespaceAsync("deploy");
        await RunPodAsync(ns, "web-standalone", "echo from the deployment; sleep 3600", labels: "app: web");
        await K.OkAsync("apply -f -", Manifests.Deployment(ns, "web", replicas: 0));
        await WaitForLogAsync(ns, "web-standalone", "from the deployment");

        Assert.Equal("from the deployment\n", await K.OkAsync($"logs deploy/web -n {ns}"));
    }

    [Fact]
    public async Task Exec_NonZeroExit_PrintedAndPropagated()
    {
        var ns = await fixture.NewNamespaceAsync("exec");
        await RunPodAsync(ns, "web", "sleep 3600");

        var result = await K.RunAsync($"exec web -n {ns} -- sh -c 'echo hi; echo oops >&2; exit 3'");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("hi\n", result.Stdout);
        Assert.Contains("oops", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("command terminated with exit code 3", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_Stdin_EchoedByCat()
    {
        var ns = await fixture.NewNamespaceAsync("stdin");
        await RunPodAsync(ns, "web", "sleep 3600");

        Assert.Equal("hello through stdin\n", await K.OkAsync($"exec -i web -n {ns} -- cat", stdin: "hello through stdin\n"));
    }

    [Fact]
    public async Task Exec_ContainerContext_PodIpEnvAndWorkingDirectory()
    {
        var ns = await fixture.NewNamespaceAsync("context");
        await RunPodAsync(ns, "web", "sleep 3600");
        var podIp = await K.OkAsync($"get pod web -n {ns} -o jsonpath={{.status.podIP}}");

        var output = await K.OkAsync($"exec web -n {ns} -c app -- sh -c 'echo $MY_POD_IP; pwd; echo $HOSTNAME'");

        // HOSTNAME is the pod's host name, as a container runtime sets it.
        Assert.Equal($"{podIp}\n/tmp\nweb\n", output);
    }

    [Fact]
    public async Task Exec_ProgramNotFound_UpstreamsErrorAndExitCode1()
    {
        var ns = await fixture.NewNamespaceAsync("noprog");
        await RunPodAsync(ns, "web", "sleep 3600");

        var result = await K.RunAsync($"exec web -n {ns} -- no-such-tool-s11 --version");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Internal error occurred: error executing command in container:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("exec: \"no-such-tool-s11\": executable file not found in $PATH", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_ContainerNotRunning_UpstreamsUpgradeError()
    {
        var ns = await fixture.NewNamespaceAsync("notrunning");
        await RunPodAsync(ns, "web", "exit 1");
        await AsyncTestHelpers.WaitUntilAsync(
            async () => (await K.RunAsync($"get pod web -n {ns} -o jsonpath={{.status.containerStatuses[0].state.waiting.reason}}")).Stdout == "CrashLoopBackOff",
            timeout: TimeSpan.FromSeconds(60), because: "the container waits in its restart back-off");

        var result = await K.RunAsync($"exec web -n {ns} -- true");

        // What kubectl prints for a cluster's pod in CrashLoopBackOff (the kubelet refuses the stream).
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: Internal error occurred: unable to upgrade connection: container not found (\"app\")", result.Stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cp_BothDirections_BinarySafeThroughExecStreams()
    {
        var ns = await fixture.NewNamespaceAsync("cp");
        await RunPodAsync(ns, "web", "sleep 3600");
        var local = Directory.CreateTempSubdirectory("berth-cp-").FullName;
        try
        {
            var payload = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
            File.WriteAllBytes(Path.Combine(local, "in.bin"), payload);
            var remote = $"/tmp/berth-cp-{ns}";
            await K.OkAsync($"exec web -n {ns} -- mkdir -p {remote}");

            await K.OkAsync($"cp {Path.Combine(local, "in.bin")} {ns}/web:{remote}/copy.bin");
            await K.OkAsync($"cp {ns}/web:{remote}/copy.bin {Path.Combine(local, "out.bin")}");

            Assert.Equal(payload, File.ReadAllBytes(Path.Combine(local, "out.bin")));
            await K.OkAsync($"exec web -n {ns} -- rm -rf {remote}");
        }
        finally
        {
            Directory.Delete(local, recursive: true);
        }
    }

    [Fact]
    public async Task Exec_TtyFromKubectlsTerminal_PseudoTerminalWithItsSize()
    {
        var ns = await fixture.NewNamespaceAsync("tty");
        await RunPodAsync(ns, "web", "sleep 3600");

        // script(1) gives kubectl a terminal of 100x30; kubectl -t then sends that size on the resize channel.
        var output = await ScriptAsync($"stty cols 100 rows 30; kubectl --kubeconfig={fixture.Server.KubeconfigPath} "
            + $"exec -it web -n {ns} -- sh -c 'while [ \"$(stty size)\" = \"0 0\" ]; do sleep 0.05; done; tty; stty size'");

        Assert.Matches(@"/dev/pts/\d+\r\n30 100\r\n", output);
    }

    private async Task RunPodAsync(string ns, string name, string script, string labels = "app: other", string restartPolicy = "Always")
    {
        await K.OkAsync("apply -f -", $$$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {{{name}}}
              namespace: {{{ns}}}
              labels: {{{{labels}}}}
            spec:
              nodeName: {{{NodeName}}}
              restartPolicy: {{{restartPolicy}}}
              terminationGracePeriodSeconds: 1
              containers:
              - name: app
                image: busybox:1.36
                command: ["sh", "-c", "{{{script}}}"]
                workingDir: /tmp
                env:
                - name: MY_POD_IP
                  valueFrom: {fieldRef: {fieldPath: status.podIP}}
            """);
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"get pod {name} -n {ns} -o jsonpath={{.status.containerStatuses[0].containerID}}")).Stdout.Length > 0,
            timeout: TimeSpan.FromSeconds(30), because: $"pod {name} started");
    }

    private async Task WaitForLogAsync(string ns, string pod, string text) =>
        await AsyncTestHelpers.WaitUntilAsync(async () => (await K.RunAsync($"logs {pod} -n {ns}")).Stdout.Contains(text, StringComparison.Ordinal),
            timeout: TimeSpan.FromSeconds(30), because: $"log of {pod} shows {text}");

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
            await process.WaitForExitAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        process.StandardInput.Close();
        return await stdout;
    }
}
