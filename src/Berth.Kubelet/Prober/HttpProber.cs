using System.Text;
using Berth.Kubelet.Util;
using k8s.Models;

namespace Berth.Kubelet.Prober;

/// <summary>
/// Runs an httpGet probe: status 200–399 is success (the first 10 KiB of the body is the output), any other status
/// a failure "HTTP probe failed with statuscode: N", a transport error a failure with Go-style text, and no answer
/// within <c>timeoutSeconds</c> a failure. Mirrors kubernetes/kubernetes pkg/probe/http/http.go (DoHTTPProbe).
/// </summary>
internal sealed class HttpProber(HttpClient client, TimeProvider time)
{
    private const int MaxBodyBytes = 10 * 1024;

    public async Task<ProbeOutcome> ProbeAsync(V1HTTPGetAction action, V1Container container, string? podIP,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!HttpTargets.TryBuild(action, container, podIP, out var uri, out var error))
        {
            return new ProbeOutcome(ProbeOutcomeKind.Unknown, error);
        }

        using var timeoutCts = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        using var request = HttpTargets.NewRequest(uri, action.HttpHeaders, "kube-probe/1.34");
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is < 200 or >= 400)
            {
                return ProbeOutcome.Failure($"HTTP probe failed with statuscode: {code}");
            }

            return ProbeOutcome.Success(await ReadBodyAsync(response, linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failure(HttpTargets.DescribeError(uri, new TimeoutException()));
        }
        catch (HttpRequestException ex)
        {
            return ProbeOutcome.Failure(HttpTargets.DescribeError(uri, ex));
        }
    }

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return Encoding.UTF8.GetString(buffer, 0, total);
        }
    }
}
