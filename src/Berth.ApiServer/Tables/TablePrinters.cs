using Berth.ApiServer.ResourceMetrics;
using Berth.ApiServer.Tables.Printers;
using Berth.Machinery.Kinds;
using Berth.Registry.Conversion;

namespace Berth.ApiServer.Tables;

/// <summary>
/// Finds the printer for a kind. Kinds without one get <see cref="DefaultTablePrinter"/>. The table is built once
/// and read concurrently; printers are stateless singletons. Mirrors the handler registration of AddHandlers in
/// kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
public static class TablePrinters
{
    private static readonly ITablePrinter Default = new DefaultTablePrinter();

    private static readonly Dictionary<ResourceKind, ITablePrinter> Printers = new()
    {
        [KindRegistry.Pods] = new PodPrinter(),
        [KindRegistry.Namespaces] = new NamespacePrinter(),
        [KindRegistry.Nodes] = new NodePrinter(),
        [KindRegistry.Services] = new ServicePrinter(),
        [KindRegistry.Endpoints] = new EndpointsPrinter(),
        [KindRegistry.EndpointSlices] = new EndpointSlicePrinter(),
        [KindRegistry.Events] = new EventPrinter(),
        [KindRegistry.ConfigMaps] = new ConfigMapPrinter(),
        [KindRegistry.Secrets] = new SecretPrinter(),
        [KindRegistry.ServiceAccounts] = new ServiceAccountPrinter(),
        [KindRegistry.Leases] = new LeasePrinter(),
        [KindRegistry.Deployments] = new DeploymentPrinter(),
        [KindRegistry.ReplicaSets] = new ReplicaSetPrinter(),
        [KindRegistry.StatefulSets] = new StatefulSetPrinter(),
        [KindRegistry.DaemonSets] = new DaemonSetPrinter(),
        [KindRegistry.ControllerRevisions] = new ControllerRevisionPrinter(),
        [KindRegistry.Jobs] = new JobPrinter(),
        [KindRegistry.CronJobs] = new CronJobPrinter(),
        [KindRegistry.PodDisruptionBudgets] = new PodDisruptionBudgetPrinter(),

        // Policy kinds a service's manifests carry (LimitRange has no printer upstream: Name, Created At).
        [KindRegistry.PriorityClasses] = new PriorityClassPrinter(),
        [KindRegistry.Ingresses] = new IngressPrinter(),
        [KindRegistry.IngressClasses] = new IngressClassPrinter(),
        [KindRegistry.NetworkPolicies] = new NetworkPolicyPrinter(),
        [KindRegistry.ResourceQuotas] = new ResourceQuotaPrinter(),
        // Storage.
        [KindRegistry.PersistentVolumeClaims] = new PersistentVolumeClaimPrinter(),
        [KindRegistry.PersistentVolumes] = new PersistentVolumePrinter(),
        [KindRegistry.StorageClasses] = new StorageClassPrinter(),
        [KindRegistry.HorizontalPodAutoscalers] = new HorizontalPodAutoscalerPrinter(),

        [MetricsKinds.PodMetrics] = new ResourceMetricsPrinter(),
        [MetricsKinds.NodeMetrics] = new ResourceMetricsPrinter(),

        // RBAC.
        [KindRegistry.ClusterRoleBindings] = new RoleBindingPrinter(),
        [KindRegistry.ClusterRoles] = new RolePrinter(),
        [KindRegistry.RoleBindings] = new RoleBindingPrinter(),
        [KindRegistry.Roles] = new RolePrinter(),
    };

    private static readonly Dictionary<ResourceKind, ITablePrinter> ConvertedPrinters = KindRegistry.ConvertedVersions.ToDictionary(
        k => k, k => (ITablePrinter)new ConvertedTablePrinter(VersionConverters.For(k)!, Printers.GetValueOrDefault(k.StorageVersion, Default)));

    /// <summary>The printer of a served kind; a converted version prints as its storage version.</summary>
    public static ITablePrinter For(ResourceKind kind) =>
        Printers.GetValueOrDefault(kind) ?? ConvertedPrinters.GetValueOrDefault(kind) ?? Default;
}
