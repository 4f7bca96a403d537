using System.Net;

namespace Berth.Proxy.Model;

/// <summary>
/// One endpoint of a service port as an EndpointSlice describes it, with the three conditions of KEP-1669 and the
/// node it runs on (<c>nodeName</c>, null when the slice does not say).
/// A missing <c>ready</c> or <c>serving</c> condition counts as true, a missing <c>terminating</c> as false (the
/// discovery.k8s.io/v1 API contract). Immutable.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/endpoint.go (BaseEndpointInfo).</remarks>
public sealed record EndpointInfo(IPEndPoint Address, bool Ready, bool Serving, bool Terminating, string? NodeName = null)
{
    public override string ToString() => Address.ToString();
}
