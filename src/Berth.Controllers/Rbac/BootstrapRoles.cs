using Berth.Registry.Rbac;

namespace Berth.Controllers.Rbac;

/// <summary>
/// Berth's default ClusterRoles, written for the resources Berth serves. The user-facing roles follow upstream's
/// meaning: <c>view</c> reads namespaced objects except Secrets and RBAC; <c>edit</c> also writes them, reads Secrets,
/// execs and port-forwards into pods and issues ServiceAccount tokens; <c>admin</c> also manages Roles and RoleBindings;
/// <c>cluster-admin</c> may do everything. <c>admin</c>, <c>edit</c> and <c>view</c> are aggregated: their rules come
/// from the <c>system:aggregate-to-*</c> roles (and any other ClusterRole labelled for them). Immutable data.
/// </summary>
/// <remarks>The semantics of kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go (ClusterRoles).</remarks>
internal static class BootstrapRoles
{
    public const string AggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
    public const string AggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
    public const string AggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] Core = [""];

    /// <summary>Every default ClusterRole, in creation order (aggregated roles after the roles they aggregate).</summary>
    public static IReadOnlyList<BootstrapClusterRole> All { get; } =
    [
        new("cluster-admin", [PolicyRule.ForResources(["*"], ["*"], "*"), PolicyRule.ForUrls(["*"], "*")]),
        new("system:discovery", [PolicyRule.ForUrls(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], "get")]),
        new("system:basic-user",
        [
            PolicyRule.ForResources(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], "create"),
            PolicyRule.ForResources(["authentication.k8s.io"], ["selfsubjectreviews"], "create"),
        ]),
        new("system:public-info-viewer", [PolicyRule.ForUrls(["/healthz", "/livez", "/readyz", "/version", "/version/"], "get")]),
        new("system:service-account-issuer-discovery",
            [PolicyRule.ForUrls(["/.well-known/openid-configuration", "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"], "get")]),
        new("system:aggregate-to-view", ViewRules(), Labels: new() { [AggregateToAdmin] = "true", [AggregateToEdit] = "true", [AggregateToView] = "true" }),
        new("system:aggregate-to-edit", EditRules(), Labels: new() { [AggregateToAdmin] = "true", [AggregateToEdit] = "true" }),
        new("system:aggregate-to-admin", AdminRules(), Labels: new() { [AggregateToAdmin] = "true" }),
        new("view", [], AggregateFrom: AggregateToView, Labels: new() { [AggregateToEdit] = "true" }),
        new("edit", [], AggregateFrom: AggregateToEdit, Labels: new() { [AggregateToAdmin] = "true" }),
        new("admin", [], AggregateFrom: AggregateToAdmin),
    ];

    /// <summary>
    /// Reading the namespaced objects of every served kind but Secrets and RBAC (claims, limit ranges and quotas
    /// included, as upstream's view), and the namespaces themselves.
    /// </summary>
    private static PolicyRule[] ViewRules() =>
    [
        PolicyRule.ForResources(Core, ["configmaps", "endpoints", "events", "pods", "pods/log", "pods/status", "serviceaccounts", "services", "services/status"], Read),
        PolicyRule.ForResources(Core, ["limitranges", "persistentvolumeclaims", "persistentvolumeclaims/status", "resourcequotas", "resourcequotas/status"], Read),
        PolicyRule.ForResources(Core, ["namespaces", "namespaces/status"], Read),
        PolicyRule.ForResources(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
            "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], Read),
        PolicyRule.ForResources(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], Read),
        PolicyRule.ForResources(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], Read),
        PolicyRule.ForResources(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], Read),
        PolicyRule.ForResources(["discovery.k8s.io"], ["endpointslices"], Read),
        PolicyRule.ForResources(["metrics.k8s.io"], ["pods"], Read),
        PolicyRule.ForResources(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], Read),
    ];

    /// <summary>Writing what view reads (not namespaces, limit ranges or quotas), reading Secrets, pod exec/attach/port-forward/eviction, tokens.</summary>
    private static PolicyRule[] EditRules() =>
    [
        PolicyRule.ForResources(Core, ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], Read),
        PolicyRule.ForResources(Core, ["serviceaccounts"], "impersonate"),
        PolicyRule.ForResources(Core, ["configmaps", "endpoints", "pods", "pods/attach", "pods/ephemeralcontainers", "pods/exec",
            "pods/portforward", "pods/proxy", "persistentvolumeclaims", "secrets", "serviceaccounts", "services", "services/proxy"], Write),
        PolicyRule.ForResources(Core, ["pods/eviction", "serviceaccounts/token"], "create"),
        PolicyRule.ForResources(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
            "replicasets/scale", "statefulsets", "statefulsets/scale"], Write),
        PolicyRule.ForResources(["autoscaling"], ["horizontalpodautoscalers"], Write),
        PolicyRule.ForResources(["batch"], ["cronjobs", "jobs"], Write),
        PolicyRule.ForResources(["policy"], ["poddisruptionbudgets"], Write),
        PolicyRule.ForResources(["discovery.k8s.io"], ["endpointslices"], Write),
        PolicyRule.ForResources(["networking.k8s.io"], ["ingresses", "networkpolicies"], Write),
    ];

    /// <summary>Managing access inside a namespace.</summary>
    private static PolicyRule[] AdminRules() =>
    [
        PolicyRule.ForResources(["authorization.k8s.io"], ["localsubjectaccessreviews"], "create"),
        PolicyRule.ForResources(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], [.. Write, .. Read]),
    ];
}

/// <summary>
/// One default ClusterRole: its rules, or for an aggregated role the label whose ClusterRoles it gathers (its rules are
/// then filled in by the aggregation controller), and the labels it carries besides the bootstrapping one.
/// </summary>
internal sealed record BootstrapClusterRole(string Name, PolicyRule[] Rules, string? AggregateFrom = null,
    Dictionary<string, string>? Labels = null);
