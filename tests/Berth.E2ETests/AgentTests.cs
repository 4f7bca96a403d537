using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.E2ETests;

/// <summary>
/// Issue 3 §1 "Standalone": <c>berth agent</c> as a second node of a running <c>berth server</c>. Both nodes turn
/// Ready with disjoint pod address ranges, a pod selected onto the agent's node runs there with an address from
/// that node's range, its logs and exec are proxied by the server to the agent's kubelet endpoint, it is deleted
/// gracefully, and SIGTERM to the agent stops the agent's pods.
/// </summary>
[Trait("Category", "E2E")]
public sealed class AgentTests
{
    private const string AgentNode = "node-b";

    private static string Pod(string name, string token) => $$$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{{name}}}, namespace: default}
        spec:
          nodeSelector: {kubernetes.io/hostname: {{{AgentNode}}}}
          terminationGracePeriodSeconds: 5
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "trap 'exit 0' TERM; echo hello from {{{name}}}; while true; do sleep 0.1; done # {{{token}}}"]
        """;

    [Fact]
    public async Task Agent_SecondNode_RunsSelectedPodInItsOwnRangeAndStopsPodsOnSigterm()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory");
        var k = new Kubectl(server);
        var agentDir = Berth.Testing.Processes.TestDataDirectories.CreateOwned("berth-agent-e2e-");
        await using var agent = await AgentProcess.StartAsync(server, AgentNode, agentDir);

        await k.OkAsync($"wait --for=condition=Ready node/{AgentNode} --timeout=30s");
        var nodes = JsonNode.Parse(await k.OkAsync("get nodes -o json"))!["items"]!.AsArray();
        Assert.Equal(2, nodes.Count);
        var cidrs = nodes.ToDictionary(n => (string)n!["metadata"]!["name"]!, n => (string?)n!["spec"]!["podCIDR"]);
        Assert.All(cidrs.Values, c => Assert.NotNull(c));
        Assert.NotEqual(cidrs[AgentNode], cidrs.Single(c => c.Key != AgentNode).Value);

        var first = "agent-e2e-" + Guid.NewGuid().ToString("N")[..8];
        await k.OkAsync("apply -f -", Pod("on-b", first));
        await k.OkAsync("wait --for=condition=Ready pod/on-b --timeout=30s");
        var pod = JsonNode.Parse(await k.OkAsync("get pod on-b -o json"))!;
        Assert.Equal(AgentNode, (string?)pod["spec"]!["nodeName"]);
        Assert.True(InCidr((string)pod["status"]!["podIP"]!, cidrs[AgentNode]!), $"{pod["status"]!["podIP"]} not in {cidrs[AgentNode]}");
        Assert.NotEmpty(ProcessesWith(first));
        var agentNode = nodes.Single(n => (string?)n!["metadata"]!["name"] == AgentNode)!;
        Assert.NotNull((string?)agentNode["metadata"]!["annotations"]!["berth.dev/kubelet-serving-cert-sha256"]);
        Assert.NotEqual(10250, (int)agentNode["status"]!["daemonEndpoints"]!["kubeletEndpoint"]!["Port"]!);

        Assert.Contains("hello from on-b", await k.OkAsync("logs on-b"), StringComparison.Ordinal);
        var exec = await k.RunAsync("exec on-b -- sh -c 'echo exec-ok; exit 3'");
        Assert.Equal(3, exec.ExitCode);
        Assert.Contains("exec-ok", exec.Stdout, StringComparison.Ordinal);

        // kubectl top: the server scrapes the agent's resource metrics for its node and its pods.
        await AsyncTestHelpers.WaitUntilAsync(async () => (await k.RunAsync("top pod on-b")).ExitCode == 0,
            timeout: TimeSpan.FromSeconds(30), because: "the agent samples its pods every 5 s and serves them to the server");
        Assert.Matches(@"on-b\s+\d+m\s+\d+Mi", await k.OkAsync("top pod on-b"));
        var top = await k.OkAsync("top node");
        Assert.Matches($@"{AgentNode}\s+\d+m\s+\d+%\s+\d+Mi", top);
        Assert.Equal(3, top.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var sw = Stopwatch.StartNew();
        await k.OkAsync("delete pod on-b --timeout=20s");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"a pod that exits on SIGTERM is deleted quickly, took {sw.Elapsed}");
        Assert.Empty(ProcessesWith(first));

        var second = "agent-e2e-" + Guid.NewGuid().ToString("N")[..8];
        await k.OkAsync("apply -f -", Pod("on-b-2", second));
        await k.OkAsync("wait --for=condition=Ready pod/on-b-2 --timeout=30s");
        Assert.NotEmpty(ProcessesWith(second));
        await agent.StopAsync();

        Assert.True(agent.ExitCode == 0, $"berth agent exited with {agent.ExitCode}:\n{agent.Output}");
        Assert.Empty(ProcessesWith(second));
        var stopped = JsonNode.Parse(await k.OkAsync("get pod on-b-2 -o json"))!;
        Assert.Equal("Failed", (string?)stopped["status"]!["phase"]);
        Assert.Equal("Terminated", (string?)stopped["status"]!["reason"]);
    }

    private const string WebPodAndService = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-b, namespace: default, labels: {app: web-b}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-b}
          terminationGracePeriodSeconds: 2
          containers:
          - name: web
            image: python:3.11
            command: ["python3", "-m", "http.server", "8080", "--bind", "$(POD_IP)"]
            env:
            - name: POD_IP
              valueFrom: {fieldRef: {fieldPath: status.podIP}}
            ports:
            - {name: http, containerPort: 8080}
            readinessProbe:
              httpGet: {path: /, port: http}
              periodSeconds: 1
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web-b, namespace: default}
        spec:
          selector: {app: web-b}
          ports:
          - {port: 80, targetPort: http}
        """;

    /// <summary>Issue 4 §3 "alongside a standalone agent": with the server's proxy off, the agent's proxy serves the ClusterIP.</summary>
    [Fact]
    public async Task AgentProxy_ServerProxyDisabled_AgentServesClusterIP()
    {
        await using var server = await BerthProcess.StartAsync(null, 0, "--store", "memory", "--disable-kube-proxy");
        var k = new Kubectl(server);
        var agentDir = Berth.Testing.Processes.TestDataDirectories.CreateOwned("berth-agent-proxy-e2e-");
        await using var agent = await AgentProcess.StartAsync(server, AgentNode, agentDir, "10s", "--proxy");
        await k.OkAsync($"wait --for=condition=Ready node/{AgentNode} --timeout=30s");

        await k.OkAsync("apply -f -", WebPodAndService);
        await k.OkAsync("wait --for=condition=Ready pod/web-b --timeout=30s");
        var clusterIP = (await k.OkAsync("get svc web-b -o jsonpath={.spec.clusterIP}")).Trim();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        await AsyncTestHelpers.WaitUntilAsync(async () =>
        {
            try
            {
                return (await http.GetStringAsync($"http://{clusterIP}/")).Contains("Directory listing", StringComparison.Ordinal);
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, because: "the agent's proxy listens on the ClusterIP and routes to the pod on node-b");
        var metrics = await k.RunAsync("get --raw /metrics");
        Assert.NotEqual(0, metrics.ExitCode);
    }

    private static bool InCidr(string address, string cidr) =>
        IPNetwork.Parse(cidr).Contains(IPAddress.Parse(address));

    /// <summary>PIDs whose command line contains <paramref name="token"/> (the container's shell carries it in its script).</summary>
    private static List<int> ProcessesWith(string token)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                if (Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "cmdline"))).Contains(token, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process went away while we looked.
            }
        }
        return found;
    }
}
