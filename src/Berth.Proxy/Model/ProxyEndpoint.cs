using System.Net;
using Berth.Proxy.Metrics;

namespace Berth.Proxy.Model;

/// <summary>A usable endpoint in a snapshot: its address and its live counters (shared across snapshots).</summary>
public sealed record ProxyEndpoint(IPEndPoint Address, EndpointStats Stats);
