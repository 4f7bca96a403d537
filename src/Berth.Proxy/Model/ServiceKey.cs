namespace Berth.Proxy.Model;

/// <summary>A Service's namespace and name (upstream's types.NamespacedName).</summary>
public readonly record struct ServiceKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
