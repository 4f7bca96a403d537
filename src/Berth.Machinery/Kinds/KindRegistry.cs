namespace Berth.Machinery.Kinds;

/// <summary>
/// Every resource Berth serves, in discovery order. Storage, controllers and quotas read <see cref="AllKinds"/> (each
/// resource once, in its storage version); discovery, routing and OpenAPI read <see cref="ServedKinds"/>, which adds the
/// versions served through conversion (<see cref="ConvertedVersions"/>). A kind added here is served everywhere.
/// Mirrors the legacy scheme registration in pkg/api/legacyscheme.
/// </summary>
public static class KindRegistry
{
    private static readonly string[] None = [];
    private static readonly string[] All = ["all"];

    /// <summary>No deletecollection, as upstream's namespace storage: one DELETE must not end every namespace.</summary>
    public static readonly ResourceKind Namespaces = new("", "v1", "Namespace", "namespaces", "namespace", false, ["ns"], None, ["status", "finalize"])
    {
        Verbs = ["create", "delete", "get", "list", "patch", "update", "watch"],
    };
    public static readonly ResourceKind Pods = new("", "v1", "Pod", "pods", "pod", true, ["po"], All,
        ["status", "binding", "log", "exec", "attach", "portforward", "eviction", "ephemeralcontainers"]);
    public static readonly ResourceKind Services = new("", "v1", "Service", "services", "service", true, ["svc"], All, ["status", "proxy"]);
    public static readonly ResourceKind Endpoints = new("", "v1", "Endpoints", "endpoints", "endpoints", true, ["ep"], None, None);
    public static readonly ResourceKind Events = new("", "v1", "Event", "events", "event", true, ["ev"], None, None);
    public static readonly ResourceKind Nodes = new("", "v1", "Node", "nodes", "node", false, ["no"], None, ["status", "proxy"]);
    public static readonly ResourceKind ConfigMaps = new("", "v1", "ConfigMap", "configmaps", "configmap", true, ["cm"], None, None);
    public static readonly ResourceKind Secrets = new("", "v1", "Secret", "secrets", "secret", true, None, None, None);
    public static readonly ResourceKind ServiceAccounts = new("", "v1", "ServiceAccount", "serviceaccounts", "serviceaccount", true, ["sa"], None, ["token"]);
    public static readonly ResourceKind EndpointSlices = new("discovery.k8s.io", "v1", "EndpointSlice", "endpointslices", "endpointslice", true, None, None, None);
    public static readonly ResourceKind Leases = new("coordination.k8s.io", "v1", "Lease", "leases", "lease", true, None, None, None);
    public static readonly ResourceKind Deployments = new("apps", "v1", "Deployment", "deployments", "deployment", true, ["deploy"], All, ["status", "scale"]);
    public static readonly ResourceKind ReplicaSets = new("apps", "v1", "ReplicaSet", "replicasets", "replicaset", true, ["rs"], All, ["status", "scale"]);
    public static readonly ResourceKind StatefulSets = new("apps", "v1", "StatefulSet", "statefulsets", "statefulset", true, ["sts"], All, ["status", "scale"]);
    public static readonly ResourceKind DaemonSets = new("apps", "v1", "DaemonSet", "daemonsets", "daemonset", true, ["ds"], All, ["status"]);
    public static readonly ResourceKind ControllerRevisions = new("apps", "v1", "ControllerRevision", "controllerrevisions", "controllerrevision", true, None, None, None);
    public static readonly ResourceKind Jobs = new("batch", "v1", "Job", "jobs", "job", true, None, All, ["status"]);
    public static readonly ResourceKind CronJobs = new("batch", "v1", "CronJob", "cronjobs", "cronjob", true, ["cj"], All, ["status"]);
    public static readonly ResourceKind PodDisruptionBudgets = new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", "poddisruptionbudget", true, ["pdb"], None, ["status"]);

    // Policy kinds a service's manifests carry: scheduling priority, ingress, network policy, limits and quotas.
    public static readonly ResourceKind PriorityClasses = new("scheduling.k8s.io", "v1", "PriorityClass", "priorityclasses", "priorityclass", false, ["pc"], None, None);
    public static readonly ResourceKind Ingresses = new("networking.k8s.io", "v1", "Ingress", "ingresses", "ingress", true, ["ing"], None, ["status"]);
    public static readonly ResourceKind IngressClasses = new("networking.k8s.io", "v1", "IngressClass", "ingressclasses", "ingressclass", false, None, None, None);
    public static readonly ResourceKind NetworkPolicies = new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", "networkpolicy", true, ["netpol"], None, None);
    public static readonly ResourceKind LimitRanges = new("", "v1", "LimitRange", "limitranges", "limitrange", true, ["limits"], None, None);
    public static readonly ResourceKind ResourceQuotas = new("", "v1", "ResourceQuota", "resourcequotas", "resourcequota", true, ["quota"], None, ["status"]);
    // Storage: claims, volumes and classes (the local-path provisioner's kinds).
    public static readonly ResourceKind PersistentVolumeClaims = new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim", true, ["pvc"], None, ["status"]);
    public static readonly ResourceKind PersistentVolumes = new("", "v1", "PersistentVolume", "persistentvolumes", "persistentvolume", false, ["pv"], None, ["status"]);
    public static readonly ResourceKind StorageClasses = new("storage.k8s.io", "v1", "StorageClass", "storageclasses", "storageclass", false, ["sc"], None, None);
    // Autoscaling: stored as autoscaling/v2, also served as autoscaling/v1 through conversion (ConvertedVersions).
    public static readonly ResourceKind HorizontalPodAutoscalers = new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers",
        "horizontalpodautoscaler", true, ["hpa"], All, ["status"]);
    public static readonly ResourceKind HorizontalPodAutoscalersV1 = HorizontalPodAutoscalers with { Version = "v1", StorageKind = HorizontalPodAutoscalers };
    // RBAC (rbac.authorization.k8s.io/v1).
    public const string RbacGroup = "rbac.authorization.k8s.io";
    public static readonly ResourceKind ClusterRoleBindings = new(RbacGroup, "v1", "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, None, None, None);
    public static readonly ResourceKind ClusterRoles = new(RbacGroup, "v1", "ClusterRole", "clusterroles", "clusterrole", false, None, None, None);
    public static readonly ResourceKind RoleBindings = new(RbacGroup, "v1", "RoleBinding", "rolebindings", "rolebinding", true, None, None, None);
    public static readonly ResourceKind Roles = new(RbacGroup, "v1", "Role", "roles", "role", true, None, None, None);

    /// <summary>All kinds, in the order discovery lists them.</summary>
    public static readonly IReadOnlyList<ResourceKind> AllKinds =
    [
        Pods, Namespaces, Services, Endpoints, Events, Nodes, ConfigMaps, Secrets, ServiceAccounts,
        EndpointSlices, Leases, Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions,
        Jobs, CronJobs, PodDisruptionBudgets,
        PriorityClasses, Ingresses, IngressClasses, NetworkPolicies, LimitRanges, ResourceQuotas,
        PersistentVolumeClaims, PersistentVolumes, StorageClasses,
        HorizontalPodAutoscalers,
        // RBAC.
        ClusterRoleBindings, ClusterRoles, RoleBindings, Roles,
    ];

    /// <summary>
    /// Kinds served in a version other than their storage version, each converted to and from its
    /// <see cref="ResourceKind.StorageKind"/> at the API edge. Not in <see cref="AllKinds"/>: storage, controllers,
    /// quotas and namespace deletion see each resource once, in its storage version.
    /// </summary>
    public static readonly IReadOnlyList<ResourceKind> ConvertedVersions = [HorizontalPodAutoscalersV1];

    /// <summary>
    /// Every served group version of every kind, in discovery order: <see cref="AllKinds"/> with each converted version
    /// right after its storage version, so a group's storage version comes first (the preferred version).
    /// </summary>
    public static readonly IReadOnlyList<ResourceKind> ServedKinds =
        AllKinds.SelectMany(k => ConvertedVersions.Where(c => c.StorageKind == k).Prepend(k)).ToList();

    private static readonly Dictionary<(string Group, string Version, string Resource), ResourceKind> ByResource =
        ServedKinds.ToDictionary(k => (k.Group, k.Version, k.Resource));

    private static readonly Dictionary<(string Group, string Kind), ResourceKind> ByKind =
        AllKinds.ToDictionary(k => (k.Group, k.Kind));

    /// <summary>Group versions in discovery order (core first).</summary>
    public static IEnumerable<(string Group, string Version)> GroupVersions =>
        AllKinds.Select(k => (k.Group, k.Version)).Distinct();

    /// <summary>The served kind at a URL's group, version and resource, converted versions included.</summary>
    public static ResourceKind? FindByResource(string group, string version, string resource) =>
        ByResource.GetValueOrDefault((group, version, resource));

    public static ResourceKind? FindByKind(string group, string kind) => ByKind.GetValueOrDefault((group, kind));

    /// <summary>Resolves an <c>apiVersion</c> + <c>kind</c> pair as found in a manifest.</summary>
    public static ResourceKind? FindByApiVersionKind(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var found = FindByKind(group, kind);
        return found is not null && found.ApiVersion == apiVersion ? found : null;
    }
}
