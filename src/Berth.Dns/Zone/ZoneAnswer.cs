using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace Berth.Dns.Zone;

/// <summary>
/// Answers one question about a name inside the cluster domain from a <see cref="ZoneSnapshot"/>: the records of
/// the name (A, SRV with the targets' A records as additional records, CNAME for ExternalName whatever the type),
/// NODATA (NOERROR, SOA in authority) for a name that exists without records of that type, NXDOMAIN (SOA in
/// authority) for any other name. Pure and thread-safe.
/// </summary>
/// <remarks>Mirrors coredns/coredns plugin/kubernetes (ServeDNS via plugin.A/SRV/CNAME, and NXDOMAIN/NODATA with the zone SOA).</remarks>
public sealed class ZoneAnswer(string domain, int ttl)
{
    private readonly DomainName _apex = DomainName.Parse(domain);

    /// <summary>True when <paramref name="name"/> is the cluster domain or below it.</summary>
    public bool InZone(DomainName name) => name.IsEqualOrSubDomainOf(_apex);

    /// <summary>Fills <paramref name="response"/> (return code and sections) for <paramref name="question"/>; returns the CNAME target outside the zone to chase, if any.</summary>
    public string? Answer(ZoneSnapshot zone, DnsQuestion question, DnsMessage response)
    {
        var name = question.Name.ToString().TrimEnd('.').ToLowerInvariant();
        response.IsAuthoritiveAnswer = true;
        response.ReturnCode = ReturnCode.NoError;
        if (zone.Names.TryGetValue(name, out var records))
        {
            return AddRecords(zone, question, records, response);
        }
        if (PodNames.AddressOf(name, domain) is { } pod)
        {
            AddIf(question.RecordType == RecordType.A || question.RecordType == RecordType.Any, response,
                () => new ARecord(question.Name, ttl, pod));
            return null;
        }
        if (zone.Interior.Contains(name))
        {
            if (name == domain && question.RecordType == RecordType.Soa)
            {
                response.AnswerRecords.Add(Soa());
                return null;
            }
            response.AuthorityRecords.Add(Soa());
            return null;
        }
        response.ReturnCode = ReturnCode.NxDomain;
        response.AuthorityRecords.Add(Soa());
        return null;
    }

    /// <summary>
    /// Answers a PTR question for a reverse name of the cluster (a cluster IP or a ready endpoint address) and returns
    /// true; returns false, leaving <paramref name="response"/> untouched, for any other question, which the caller
    /// forwards (the <c>fallthrough in-addr.arpa</c> of kubeadm's Corefile).
    /// </summary>
    public bool TryAnswerPointer(ZoneSnapshot zone, DnsQuestion question, DnsMessage response)
    {
        var name = question.Name.ToString().TrimEnd('.').ToLowerInvariant();
        if (question.RecordType != RecordType.Ptr || !zone.Pointers.TryGetValue(name, out var targets))
        {
            return false;
        }
        response.IsAuthoritiveAnswer = true;
        response.ReturnCode = ReturnCode.NoError;
        foreach (var target in targets)
        {
            response.AnswerRecords.Add(new PtrRecord(question.Name, ttl, DomainName.Parse(target)));
        }
        return true;
    }

    private string? AddRecords(ZoneSnapshot zone, DnsQuestion question, NameRecords records, DnsMessage response)
    {
        if (records.CanonicalName is { } target)
        {
            response.AnswerRecords.Add(new CNameRecord(question.Name, ttl, DomainName.Parse(target)));
            return question.RecordType is RecordType.CName ? null : target;
        }
        var type = question.RecordType;
        if (type is RecordType.A or RecordType.Any)
        {
            records.Addresses.ToList().ForEach(ip => response.AnswerRecords.Add(new ARecord(question.Name, ttl, ip)));
        }
        if (type is RecordType.Srv or RecordType.Any)
        {
            foreach (var srv in records.Services)
            {
                response.AnswerRecords.Add(new SrvRecord(question.Name, ttl, srv.Priority, srv.Weight, srv.Port, DomainName.Parse(srv.Target)));
                var addresses = zone.Names.GetValueOrDefault(srv.Target)?.Addresses ?? [];
                addresses.ToList().ForEach(ip => response.AdditionalRecords.Add(new ARecord(DomainName.Parse(srv.Target), ttl, ip)));
            }
        }
        if (response.AnswerRecords.Count == 0)
        {
            response.AuthorityRecords.Add(Soa());
        }
        return null;
    }

    private static void AddIf(bool condition, DnsMessage response, Func<DnsRecordBase> record)
    {
        if (condition)
        {
            response.AnswerRecords.Add(record());
        }
    }

    private SoaRecord Soa() => new(_apex, ttl, DomainName.Parse($"ns.dns.{domain}"), DomainName.Parse($"hostmaster.{domain}"),
        1, 7200, 1800, 86400, ttl);
}
