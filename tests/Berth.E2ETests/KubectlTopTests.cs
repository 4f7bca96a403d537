using System.Text.RegularExpressions;

namespace Berth.E2ETests;

/// <summary>
/// <c>kubectl top</c> against the real <c>berth server</c>: the resource metrics API (<c>metrics.k8s.io/v1beta1</c>)
/// served from the in-process kubelet's resource analyzer, with real processes' CPU and memory.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class KubectlTopTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static readonly string NodeName = Environment.MachineName.ToLowerInvariant();

    private Kubectl K => fixture.Kubectl;

    [Fact]
    public async Task TopPodAndNode_BusyAndIdleProcesses_ReportTheirUsage()
    {
        var ns = await fixture.NewNamespaceAsync("top");
        await K.OkAsync("apply -f -", Pod(ns, "busy", "while :; do :; done") + "\n---\n" + Pod(ns, "idle", "sleep 3600"));

        string top = "";
        await AsyncTestHelpers.WaitUntilAsync(async () =>
            {
                top = (await K.RunAsync($"top pod -n {ns}")).Stdout;
                return top.Contains("busy", StringComparison.Ordinal) && top.Contains("idle", StringComparison.Ordinal);
            },
            timeout: TimeSpan.FromSeconds(45), because: "both pods are sampled within the analyzer's interval plus a second");

        Assert.Matches(@"NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)", top);
        var busy = Usage(top, "busy");
        var idle = Usage(top, "idle");
        Assert.True(busy.MilliCores >= 50, top);
        Assert.True(idle.MilliCores < busy.MilliCores, top);
        Assert.True(busy.MiB >= 0 && idle.MiB >= 0, top);

        var selected = await K.OkAsync($"top pod -n {ns} -l app=idle --containers");
        Assert.Matches(@"POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)", selected);
        Assert.Matches(@"idle\s+app\s+\d+m\s+\d+Mi", selected);
        Assert.DoesNotContain("busy", selected, StringComparison.Ordinal);

        var table = await K.OkAsync($"get podmetrics -n {ns}");
        Assert.Matches(@"NAME\s+CPU\s+MEMORY\s+WINDOW", table);

        var node = await K.OkAsync("top node");
        Assert.Matches($@"{Regex.Escape(NodeName)}\s+\d+m\s+\d+%\s+\d+Mi\s+\d+%", node);

        var missing = await K.RunAsync($"top pod nope -n {ns}");
        Assert.Contains("podmetrics.metrics.k8s.io \"nope\" not found", missing.Stderr, StringComparison.Ordinal);

        await K.OkAsync($"delete pod busy -n {ns} --wait=false");
    }

    private static (int MilliCores, int MiB) Usage(string top, string pod)
    {
        var match = UsageLine().Matches(top).Single(m => m.Groups["pod"].Value == pod);
        return (int.Parse(match.Groups["cpu"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(match.Groups["mem"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^(?<pod>\S+)\s+(?<cpu>\d+)m\s+(?<mem>\d+)Mi", RegexOptions.Multiline)]
    private static partial Regex UsageLine();

    private static string Pod(string ns, string name, string script) => $$$"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{{name}}}
          namespace: {{{ns}}}
          labels: {app: {{{name}}}}
        spec:
          nodeName: {{{NodeName}}}
          terminationGracePeriodSeconds: 1
          containers:
          - name: app
            image: busybox:1.36
            command: ["sh", "-c", "{{{script}}}"]
        """;
}
