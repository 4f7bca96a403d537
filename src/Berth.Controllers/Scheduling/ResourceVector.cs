using k8s.Models;

namespace Berth.Controllers.Scheduling;

/// <summary>
/// Amounts of schedulable resources: CPU in millicores, memory and ephemeral storage in bytes, and scalar resources
/// (extended resources, hugepages) in their integer units. Mutable; not thread-safe.
/// </summary>
/// <remarks>Mirrors kubernetes/kubernetes pkg/scheduler/framework/types.go (Resource).</remarks>
internal sealed class ResourceVector
{
    public long MilliCpu { get; set; }

    public long Memory { get; set; }

    public long EphemeralStorage { get; set; }

    public int AllowedPodNumber { get; set; }

    public Dictionary<string, long> Scalars { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads a resource list (requests, limits, allocatable). <c>pods</c> goes to <see cref="AllowedPodNumber"/>.</summary>
    public static ResourceVector From(IDictionary<string, ResourceQuantity>? list)
    {
        var vector = new ResourceVector();
        foreach (var (name, quantity) in list ?? new Dictionary<string, ResourceQuantity>())
        {
            if (quantity is not null)
            {
                vector.Set(name, quantity.ToDecimal());
            }
        }
        return vector;
    }

    public void Add(ResourceVector other)
    {
        MilliCpu += other.MilliCpu;
        Memory += other.Memory;
        EphemeralStorage += other.EphemeralStorage;
        AllowedPodNumber += other.AllowedPodNumber;
        foreach (var (name, value) in other.Scalars)
        {
            Scalars[name] = Scalars.GetValueOrDefault(name) + value;
        }
    }

    /// <summary>Raises every amount to at least <paramref name="other"/>'s (init containers run one at a time).</summary>
    public void SetMax(ResourceVector other)
    {
        MilliCpu = Math.Max(MilliCpu, other.MilliCpu);
        Memory = Math.Max(Memory, other.Memory);
        EphemeralStorage = Math.Max(EphemeralStorage, other.EphemeralStorage);
        foreach (var (name, value) in other.Scalars)
        {
            Scalars[name] = Math.Max(Scalars.GetValueOrDefault(name), value);
        }
    }

    public ResourceVector Clone()
    {
        var copy = new ResourceVector();
        copy.Add(this);
        return copy;
    }

    private void Set(string name, decimal value)
    {
        switch (name)
        {
            case "cpu":
                MilliCpu = (long)Math.Ceiling(value * 1000m);
                break;
            case "memory":
                Memory = (long)Math.Ceiling(value);
                break;
            case "ephemeral-storage":
                EphemeralStorage = (long)Math.Ceiling(value);
                break;
            case "pods":
                AllowedPodNumber = (int)value;
                break;
            default:
                Scalars[name] = (long)Math.Ceiling(value);
                break;
        }
    }
}
