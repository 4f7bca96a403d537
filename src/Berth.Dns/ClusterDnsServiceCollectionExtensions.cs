using Microsoft.Extensions.DependencyInjection;

namespace Berth.Dns;

/// <summary>Registration of the cluster DNS server, for <c>berth server</c> and a standalone agent host.</summary>
public static class ClusterDnsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the cluster DNS server as a hosted service. Needs <see cref="Berth.Client.Informers.SharedInformerFactory"/>,
    /// <see cref="TimeProvider"/> and logging in the container. Forwards to <see cref="ClusterDnsOptions.Upstreams"/>, or
    /// to the nameservers of <see cref="ClusterDnsOptions.ResolvConfPath"/> other than its own address.
    /// </summary>
    public static IServiceCollection AddClusterDns(this IServiceCollection services, ClusterDnsOptions options)
    {
        services.AddSingleton(options);
        var upstreams = options.Upstreams ?? ResolvConf.ReadNameservers(options.ResolvConfPath).Where(ip => !ip.Equals(options.ListenAddress)).ToList();
        services.AddSingleton(new UpstreamForwarder(upstreams, options.ForwardTimeout));
        services.AddSingleton<ClusterDnsResolver>();
        services.AddHostedService<ClusterDnsServer>();
        return services;
    }
}
