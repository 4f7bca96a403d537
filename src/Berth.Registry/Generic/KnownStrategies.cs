using Berth.Machinery.Kinds;
using Berth.Registry.Autoscaling;
using Berth.Registry.Apps.ControllerRevisions;
using Berth.Registry.Apps.DaemonSets;
using Berth.Registry.Apps.Deployments;
using Berth.Registry.Apps.ReplicaSets;
using Berth.Registry.Apps.StatefulSets;
using Berth.Registry.Batch.CronJobs;
using Berth.Registry.Batch.Jobs;
using Berth.Registry.Core.ConfigMaps;
using Berth.Registry.Core.Events;
using Berth.Registry.Core.LimitRanges;
using Berth.Registry.Core.Namespaces;
using Berth.Registry.Core.ResourceQuotas;
using Berth.Registry.Core.Nodes;
using Berth.Registry.Core.PersistentVolumeClaims;
using Berth.Registry.Core.PersistentVolumes;
using Berth.Registry.Core.Pods;
using Berth.Registry.Core.Secrets;
using Berth.Registry.Core.Services;
using Berth.Registry.Discovery;
using Berth.Registry.Networking;
using Berth.Registry.Policy;
using Berth.Registry.Scheduling;
using Berth.Registry.Storage.StorageClasses;
using Berth.Registry.Rbac;

namespace Berth.Registry.Generic;

/// <summary>
/// The per-kind strategies. Each kind folder (Core/Pods, Apps/Deployments…) adds its strategy to this list; kinds
/// without one (ServiceAccounts, Endpoints, Leases) get <see cref="ResourceStrategy"/> from the catalog.
/// </summary>
public static class KnownStrategies
{
    public static IEnumerable<IResourceStrategy> All() =>
    [
        new PodStrategy(),
        new NamespaceStrategy(),
        new ServiceStrategy(),
        new NodeStrategy(),
        new EventStrategy(),
        new ConfigMapStrategy(),
        new SecretStrategy(),
        new EndpointSliceStrategy(),
        new DeploymentStrategy(),
        new ReplicaSetStrategy(),
        new StatefulSetStrategy(),
        new DaemonSetStrategy(),
        new ControllerRevisionStrategy(),
        new JobStrategy(),
        new CronJobStrategy(),
        new PodDisruptionBudgetStrategy(),

        // Policy kinds a service's manifests carry.
        new PriorityClassStrategy(),
        new IngressStrategy(),
        new IngressClassStrategy(),
        new NetworkPolicyStrategy(),
        new LimitRangeStrategy(),
        new ResourceQuotaStrategy(),
        // Storage.
        new PersistentVolumeClaimStrategy(),
        new PersistentVolumeStrategy(),
        new StorageClassStrategy(),
        // Autoscaling.
        new HorizontalPodAutoscalerStrategy(),
        // RBAC.
        new RoleStrategy(KindRegistry.ClusterRoles),
        new RoleStrategy(KindRegistry.Roles),
        new RoleBindingStrategy(KindRegistry.ClusterRoleBindings),
        new RoleBindingStrategy(KindRegistry.RoleBindings),
    ];
}
