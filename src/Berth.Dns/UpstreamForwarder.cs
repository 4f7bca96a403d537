using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Berth.Dns;

/// <summary>
/// Resolves names outside the cluster domain through the host's resolvers (recursion desired) and copies their
/// answer, authority and additional records. No upstream, a timeout or a failure gives SERVFAIL. Thread-safe.
/// The DNS client is built at the first forwarded query, not with the server: its type initialisers load
/// BouncyCastle (not precompiled), which would cost every start JIT time and resident memory even when no pod asks
/// for an outside name.
/// </summary>
/// <remarks>Mirrors coredns/coredns plugin/forward (forward . /etc/resolv.conf), without its health checks.</remarks>
public sealed class UpstreamForwarder(IReadOnlyList<IPAddress> upstreams, TimeSpan timeout)
{
    private readonly Lazy<DnsClient?> _client = new(() => upstreams.Count == 0 ? null : new DnsClient(upstreams, (int)timeout.TotalMilliseconds));

    public IReadOnlyList<IPAddress> Upstreams => upstreams;

    /// <summary>Adds the upstream answer for (<paramref name="name"/>, <paramref name="type"/>) to <paramref name="response"/>; returns false when there was none.</summary>
    public async Task<bool> ForwardAsync(DomainName name, RecordType type, DnsMessage response, bool setReturnCode,
        CancellationToken cancellationToken)
    {
        DnsMessage? answer = null;
        if (_client.Value is { } client)
        {
            try
            {
                answer = await client.ResolveAsync(name, type, RecordClass.INet, new DnsQueryOptions { IsRecursionDesired = true },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                answer = null;
            }
        }
        if (answer is null)
        {
            if (setReturnCode)
            {
                response.ReturnCode = ReturnCode.ServerFailure;
            }
            return false;
        }
        if (setReturnCode)
        {
            response.ReturnCode = answer.ReturnCode;
        }
        response.AnswerRecords.AddRange(answer.AnswerRecords);
        response.AuthorityRecords.AddRange(answer.AuthorityRecords);
        response.AdditionalRecords.AddRange(answer.AdditionalRecords.Where(r => r is not OptRecord));
        return true;
    }
}
