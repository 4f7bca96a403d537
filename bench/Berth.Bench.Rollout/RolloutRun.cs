using System.Diagnostics;
using System.Net;

namespace Berth.Bench.Rollout;

/// <summary>
/// One rolling restart of one variant in a namespace of its own on a running server: apply, wait for the rollout,
/// wait until the Service answers, start the client and the proxy scraper, 2 s of steady load, <c>kubectl rollout
/// restart</c>, <c>kubectl rollout status</c>, 2 s more, stop; then delete the Deployment and Service and wait until
/// their pods are gone, so the next run starts on an idle node.
/// </summary>
internal sealed class RolloutRun(BerthServer server, Kubectl kubectl, RolloutOptions options, TimeProvider time)
{
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);

    public async Task<RunResult> RunAsync(Variant variant, int repetition, string exampleYaml)
    {
        var ns = variant.Namespace(repetition);
        await kubectl.OkAsync("apply -f -", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        await kubectl.OkAsync($"apply -n {ns} -f -", Manifests.Derive(exampleYaml, options.Replicas, variant));
        await RolloutStatusAsync(ns);
        var target = new IPEndPoint(IPAddress.Parse((await kubectl.OkAsync($"get svc web -n {ns} -o jsonpath={{.spec.clusterIP}}")).Stdout.Trim()), 80);
        await WaitServingAsync(target);

        var endpoints = await EndpointWatch.OpenAsync(server, ns);
        var scraper = new ProxyScraper(server.Http, ns, time);
        var clientStarted = Stopwatch.GetTimestamp();
        var client = new ServiceClient(target, options.Loops, options.Rate, time);
        await Task.Delay(Steady, time);
        var restartAt = Stopwatch.GetTimestamp();
        await kubectl.OkAsync($"rollout restart deploy/web -n {ns}");
        var status = await RolloutStatusAsync(ns);
        await Task.Delay(Steady, time);
        var loops = await client.StopAsync();
        var clientStopped = Stopwatch.GetTimestamp();
        var proxy = await scraper.StopAsync();
        await endpoints.StopAsync();
        var termination = Termination.From(endpoints, server.Lines(), ns);

        await CleanUpAsync(ns);
        return new RunResult(variant, repetition, clientStarted, restartAt, status.EndedAt, clientStopped, loops, proxy, termination);
    }

    private async Task<Kubectl.Result> RolloutStatusAsync(string ns)
    {
        var result = await kubectl.OkAsync($"rollout status deploy/web -n {ns} --timeout=300s", timeout: TimeSpan.FromSeconds(310));
        return result.Stdout.Contains("successfully rolled out", StringComparison.Ordinal)
            ? result
            : throw new InvalidOperationException($"rollout status did not report success: {result}");
    }

    /// <summary>Waits (at most 60 s) until one request through the Service succeeds.</summary>
    private async Task WaitServingAsync(IPEndPoint target)
    {
        var buffer = new byte[1 << 20];
        var deadline = Stopwatch.GetTimestamp() + 60 * Stopwatch.Frequency;
        while (await HttpExchange.SendAsync(target, buffer, TimeSpan.FromSeconds(2)) != Outcome.Ok)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"the Service at {target} never answered");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time);
        }
    }

    private async Task CleanUpAsync(string ns)
    {
        await kubectl.OkAsync($"delete deploy/web svc/web -n {ns}", timeout: TimeSpan.FromSeconds(120));
        var deadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while ((await kubectl.OkAsync($"get pods -n {ns} -o name")).Stdout.Trim().Length > 0)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"pods of namespace {ns} still exist 120 s after the Deployment was deleted");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(500), time);
        }
    }
}
