namespace Berth.Proxy.Model;

/// <summary>
/// Identifies one port of one Service: <c>namespace/name:port</c>, where <see cref="Port"/> is the port's name
/// (empty for a Service's single unnamed port). Value type; safe to use as a dictionary key.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/proxy/types.go (ServicePortName).</remarks>
public readonly record struct ServicePortName(string Namespace, string Name, string Port)
{
    public override string ToString() => Port.Length == 0 ? $"{Namespace}/{Name}" : $"{Namespace}/{Name}:{Port}";
}
