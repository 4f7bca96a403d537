namespace Berth.ApiServer.Discovery;

/// <summary>The body shape chosen for <c>/api</c> and <c>/apis</c> by <see cref="DiscoveryNegotiation"/>.</summary>
public enum DiscoveryFormat
{
    /// <summary>Nothing in Accept can be served: answer 406 NotAcceptable.</summary>
    NotAcceptable,

    /// <summary><c>APIVersions</c> / <c>APIGroupList</c> as plain <c>application/json</c>.</summary>
    Legacy,

    /// <summary><c>APIGroupDiscoveryList</c> with <c>apiVersion: apidiscovery.k8s.io/v2</c>.</summary>
    AggregatedV2,

    /// <summary><c>APIGroupDiscoveryList</c> with <c>apiVersion: apidiscovery.k8s.io/v2beta1</c> (kubectl ≤ 1.29).</summary>
    AggregatedV2Beta1,
}
