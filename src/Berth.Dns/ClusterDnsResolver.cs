using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using Berth.Dns.Zone;

namespace Berth.Dns;

/// <summary>
/// Turns a query into a response: questions inside the cluster domain are answered from the current
/// <see cref="ZoneSnapshot"/> (an ExternalName target outside the zone is then resolved upstream and appended, as
/// CoreDNS does), PTR questions for cluster IPs and endpoint addresses are answered from its reverse names, every
/// other question is forwarded. Only the first question is answered (as every resolver does).
/// Thread-safe: reads the snapshot with <see cref="Volatile.Read{T}(ref readonly T)"/>; <see cref="Publish"/> swaps it.
/// </summary>
public sealed class ClusterDnsResolver(ClusterDnsOptions options, UpstreamForwarder forwarder)
{
    private readonly ZoneAnswer _zone = new(options.ClusterDomain.TrimEnd('.').ToLowerInvariant(), options.TtlSeconds);
    private ZoneSnapshot _snapshot = ZoneSnapshot.Empty;

    public ZoneSnapshot Snapshot => Volatile.Read(ref _snapshot);

    public void Publish(ZoneSnapshot snapshot) => Volatile.Write(ref _snapshot, snapshot);

    public async Task<DnsMessage> ResolveAsync(DnsMessage query, CancellationToken cancellationToken)
    {
        var response = query.CreateResponseInstance();
        response.IsRecursionAllowed = true;
        if (query.Questions.Count == 0)
        {
            response.ReturnCode = ReturnCode.FormatError;
            return response;
        }
        var question = query.Questions[0];
        if (!_zone.InZone(question.Name))
        {
            if (_zone.TryAnswerPointer(Snapshot, question, response))
            {
                return response;
            }
            await forwarder.ForwardAsync(question.Name, question.RecordType, response, setReturnCode: true, cancellationToken).ConfigureAwait(false);
            return response;
        }
        var chase = _zone.Answer(Snapshot, question, response);
        if (chase is not null && DomainName.TryParse(chase, out var target) && target is not null && !_zone.InZone(target))
        {
            await forwarder.ForwardAsync(target, question.RecordType, response, setReturnCode: false, cancellationToken).ConfigureAwait(false);
        }
        return response;
    }
}
