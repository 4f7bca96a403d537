using Berth.Machinery.Kinds;

namespace Berth.ApiServer.ResourceMetrics;

/// <summary>
/// The resource metrics API (<c>metrics.k8s.io/v1beta1</c>) that <c>kubectl top</c> reads: read-only virtual kinds,
/// listed in discovery with <c>get</c> and <c>list</c> only and never stored (so no controller, garbage collection or
/// namespace deletion sees them: those walk <see cref="KindRegistry.AllKinds"/>).
/// </summary>
/// <remarks>Mirrors kubernetes-sigs/metrics-server pkg/api (install.go, the pods and nodes REST storage).</remarks>
public static class MetricsKinds
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";
    public const string ApiVersion = Group + "/" + Version;

    private static readonly IReadOnlyList<string> ReadVerbs = ["get", "list"];

    public static readonly ResourceKind PodMetrics =
        new(Group, Version, "PodMetrics", "pods", "", true, [], [], []) { Verbs = ReadVerbs };

    public static readonly ResourceKind NodeMetrics =
        new(Group, Version, "NodeMetrics", "nodes", "", false, [], [], []) { Verbs = ReadVerbs };

    public static readonly IReadOnlyList<ResourceKind> All = [NodeMetrics, PodMetrics];
}
