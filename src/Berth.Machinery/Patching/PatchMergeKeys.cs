using Berth.Machinery.Kinds;

namespace Berth.Machinery.Patching;

/// <summary>
/// The strategic-merge-patch metadata of every kind Berth serves, transcribed as data from the upstream
/// <c>patchStrategy</c>/<c>patchMergeKey</c> struct tags of k8s.io/api core/v1, apps/v1, batch/v1, policy/v1, networking/v1, scheduling/v1 and of
/// metav1.ObjectMeta. Fields without a tag are absent: their lists replace atomically (tolerations, args, command,
/// envFrom, readinessGates, node taints and images, endpoint subsets, containerStatuses, volumeClaimTemplates…).
/// <c>patchStrategy:"retainKeys"</c> (deployment strategy, volumes, resource claims) and <c>+listType=map</c> keys are
/// recorded for the OpenAPI document only: the first tells a client to emit <c>$retainKeys</c>, which the server honours
/// wherever it appears. Immutable, thread-safe.
/// </summary>
public static class PatchMergeKeys
{
    /// <summary>metav1.ObjectMeta: ownerReferences by uid; finalizers as a primitive set.</summary>
    public static readonly PatchSchema ObjectMeta = Schema(
        ("ownerReferences", PatchField.MergeList("uid")),
        ("finalizers", PatchField.MergeSet));

    /// <summary>core/v1 Container and EphemeralContainer (they share these tags).</summary>
    public static readonly PatchSchema Container = Schema(
        ("ports", PatchField.MergeList("containerPort") with { ListMapKeys = ["containerPort", "protocol"] }),
        ("env", PatchField.MergeList("name")),
        ("volumeMounts", PatchField.MergeList("mountPath")),
        ("volumeDevices", PatchField.MergeList("devicePath")));

    public static readonly PatchSchema PodSpec = Schema(
        ("containers", PatchField.MergeList("name", Container)),
        ("initContainers", PatchField.MergeList("name", Container)),
        ("ephemeralContainers", PatchField.MergeList("name", Container)),
        ("volumes", PatchField.MergeList("name") with { RetainKeys = true }),
        ("imagePullSecrets", PatchField.MergeList("name")),
        ("hostAliases", PatchField.MergeList("ip")),
        ("topologySpreadConstraints", PatchField.MergeList("topologyKey") with { ListMapKeys = ["topologyKey", "whenUnsatisfiable"] }),
        ("schedulingGates", PatchField.MergeList("name") with { ListMapKeys = ["name"] }),
        ("resourceClaims", PatchField.MergeList("name") with { RetainKeys = true, ListMapKeys = ["name"] }));

    public static readonly PatchSchema PodStatus = Schema(
        ("conditions", PatchField.MergeList("type")),
        ("hostIPs", PatchField.MergeList("ip")),
        ("podIPs", PatchField.MergeList("ip")),
        ("resourceClaimStatuses", PatchField.MergeList("name")));

    public static readonly PatchSchema PodTemplateSpec = Schema(
        ("metadata", PatchField.Object(ObjectMeta)),
        ("spec", PatchField.Object(PodSpec)));

    private static readonly PatchSchema ConditionsStatus = Schema(("conditions", PatchField.MergeList("type")));

    private static readonly PatchSchema WorkloadSpec = Schema(("template", PatchField.Object(PodTemplateSpec)));

    private static readonly PatchSchema Workload = Root(
        ("spec", PatchField.Object(WorkloadSpec)),
        ("status", PatchField.Object(ConditionsStatus)));

    private static readonly PatchSchema Deployment = Root(
        ("spec", PatchField.Object(Schema(
            ("template", PatchField.Object(PodTemplateSpec)),
            ("strategy", PatchField.RetainKeysObject)))),
        ("status", PatchField.Object(ConditionsStatus)));

    private static readonly PatchSchema MetadataOnly = Root();

    private static readonly Dictionary<(string Group, string Kind), PatchSchema> ByKind = new()
    {
        [Key(KindRegistry.Pods)] = Root(("spec", PatchField.Object(PodSpec)), ("status", PatchField.Object(PodStatus))),
        [Key(KindRegistry.Services)] = Root(
            ("spec", PatchField.Object(Schema(("ports", PatchField.MergeList("port") with { ListMapKeys = ["port", "protocol"] })))),
            ("status", PatchField.Object(Schema(("conditions", PatchField.MergeList("type") with { ListMapKeys = ["type"] }))))),
        [Key(KindRegistry.Nodes)] = Root(
            ("spec", PatchField.Object(Schema(("podCIDRs", PatchField.MergeSet)))),
            ("status", PatchField.Object(Schema(
                ("conditions", PatchField.MergeList("type")),
                ("addresses", PatchField.MergeList("type")))))),
        [Key(KindRegistry.Namespaces)] = Root(("status", PatchField.Object(ConditionsStatus))),
        [Key(KindRegistry.ServiceAccounts)] = Root(("secrets", PatchField.MergeList("name"))),
        [Key(KindRegistry.Deployments)] = Deployment,
        [Key(KindRegistry.ReplicaSets)] = Workload,
        [Key(KindRegistry.StatefulSets)] = Workload,
        [Key(KindRegistry.DaemonSets)] = Workload,
        [Key(KindRegistry.Jobs)] = Workload,
        [Key(KindRegistry.CronJobs)] = Root(("spec", PatchField.Object(Schema(
            ("jobTemplate", PatchField.Object(Schema(
                ("metadata", PatchField.Object(ObjectMeta)),
                ("spec", PatchField.Object(WorkloadSpec))))))))),
        [Key(KindRegistry.PodDisruptionBudgets)] = Root(
            ("spec", PatchField.Object(Schema(("selector", PatchField.ReplaceObject)))),
            ("status", PatchField.Object(ConditionsStatus))),
        [Key(KindRegistry.Endpoints)] = MetadataOnly,
        [Key(KindRegistry.Events)] = MetadataOnly,
        [Key(KindRegistry.ConfigMaps)] = MetadataOnly,
        [Key(KindRegistry.Secrets)] = MetadataOnly,
        [Key(KindRegistry.EndpointSlices)] = MetadataOnly,
        [Key(KindRegistry.Leases)] = MetadataOnly,
        [Key(KindRegistry.ControllerRevisions)] = MetadataOnly,

        // No patchStrategy tags below metadata: every list replaces atomically.
        [Key(KindRegistry.PriorityClasses)] = MetadataOnly,
        [Key(KindRegistry.Ingresses)] = MetadataOnly,
        [Key(KindRegistry.IngressClasses)] = MetadataOnly,
        [Key(KindRegistry.NetworkPolicies)] = MetadataOnly,
        [Key(KindRegistry.LimitRanges)] = MetadataOnly,
        [Key(KindRegistry.ResourceQuotas)] = MetadataOnly,
        // Storage: claim conditions merge by type; volumes and classes have no list keys.
        [Key(KindRegistry.PersistentVolumeClaims)] = Root(("status", PatchField.Object(ConditionsStatus))),
        [Key(KindRegistry.PersistentVolumes)] = MetadataOnly,
        [Key(KindRegistry.StorageClasses)] = MetadataOnly,
        // Autoscaling: metrics and policies are atomic lists; status conditions merge by type.
        [Key(KindRegistry.HorizontalPodAutoscalers)] = Root(("status", PatchField.Object(Schema(
            ("conditions", PatchField.MergeList("type") with { ListMapKeys = ["type"] }))))),
        // RBAC: rules, subjects and selectors are atomic lists.
        [Key(KindRegistry.ClusterRoleBindings)] = MetadataOnly,
        [Key(KindRegistry.ClusterRoles)] = MetadataOnly,
        [Key(KindRegistry.RoleBindings)] = MetadataOnly,
        [Key(KindRegistry.Roles)] = MetadataOnly,
    };

    /// <summary>
    /// The schema of <paramref name="kind"/>'s objects (root level, including metadata and status), or null for a kind
    /// without strategic-merge metadata, which callers patch with JSON merge patch semantics instead.
    /// </summary>
    public static PatchSchema? ForKind(ResourceKind kind) =>
        kind.StorageKind is null ? ByKind.GetValueOrDefault(Key(kind)) : ConvertedVersions.GetValueOrDefault(kind);

    /// <summary>Served versions whose objects differ from the storage version's in their lists (keyed by the whole kind).</summary>
    private static readonly Dictionary<ResourceKind, PatchSchema> ConvertedVersions = new()
    {
        // autoscaling/v1 has no conditions: they travel in an annotation.
        [KindRegistry.HorizontalPodAutoscalersV1] = MetadataOnly,
    };

    private static (string, string) Key(ResourceKind kind) => (kind.Group, kind.Kind);

    private static PatchSchema Root(params (string Name, PatchField Field)[] fields) =>
        Schema([("metadata", PatchField.Object(ObjectMeta)), .. fields]);

    private static PatchSchema Schema(params (string Name, PatchField Field)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Field)));
}
