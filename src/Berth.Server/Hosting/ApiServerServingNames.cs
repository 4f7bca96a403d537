using System.Net;
using Berth.Server.Options;
using Berth.Server.Tls;

namespace Berth.Server.Hosting;

/// <summary>
/// The subject alternative names of the API server's serving certificate: <c>localhost</c>, loopback and the bind
/// address (what kubectl and agents dial), plus what a client inside a pod dials: the <c>kubernetes</c> Service's
/// cluster IP (from <c>KUBERNETES_SERVICE_HOST</c>) and its DNS names <c>kubernetes</c>, <c>kubernetes.default</c>,
/// <c>kubernetes.default.svc</c> and <c>kubernetes.default.svc.&lt;cluster domain&gt;</c>. Immutable.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/controlplane/apiserver/options (the alternate DNS names and the service IP added to the self-signed serving certificate).</remarks>
internal sealed record ApiServerServingNames(IReadOnlyList<string> DnsNames, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The names for a server started with <paramref name="options"/> (which must be valid).</summary>
    public static ApiServerServingNames For(ServerOptions options)
    {
        var dns = new List<string>(ServingCertificates.DnsNames)
        {
            "kubernetes",
            "kubernetes.default",
            "kubernetes.default.svc",
            "kubernetes.default.svc." + options.ClusterDomain.TrimEnd('.'),
        };
        var addresses = new List<IPAddress>(ServingCertificates.AddressesFor(options.BindIPAddress()));
        var serviceIP = options.ServiceAllocation().KubernetesServiceIP();
        if (!addresses.Contains(serviceIP))
        {
            addresses.Add(serviceIP);
        }
        return new ApiServerServingNames(dns, addresses);
    }
}
