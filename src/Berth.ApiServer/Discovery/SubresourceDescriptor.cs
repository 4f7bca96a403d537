using Berth.Machinery.Kinds;

namespace Berth.ApiServer.Discovery;

/// <summary>
/// What discovery says about one subresource: the kind its requests and replies carry and the verbs it serves.
/// <see cref="Group"/>/<see cref="Version"/> are the response kind's; they differ from the parent's for
/// <c>scale</c> (autoscaling/v1) and <c>eviction</c> (policy/v1).
/// </summary>
public sealed record SubresourceDescriptor(string Name, string Group, string Version, string Kind, IReadOnlyList<string> Verbs)
{
    /// <summary>True when the response kind lives in another group version than <paramref name="parent"/>.</summary>
    public bool IsForeignTo(ResourceKind parent) => Group != parent.Group || Version != parent.Version;
}
