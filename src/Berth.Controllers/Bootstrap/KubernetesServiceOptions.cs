namespace Berth.Controllers.Bootstrap;

/// <summary>Settings of <see cref="KubernetesService"/>.</summary>
public sealed record KubernetesServiceOptions
{
    /// <summary>The Service's cluster IP: the first address of the service range (127.96.0.1 by default).</summary>
    public string ServiceIP { get; init; } = "127.96.0.1";
}
