namespace Berth.Machinery.Kinds;

/// <summary>
/// One served resource type: its group/version/kind, plural name, scope and discovery metadata.
/// Immutable; the single source for routing, discovery, OpenAPI, storage keys and error messages.
/// Mirrors the RESTMapper entries and APIResource of k8s.io/apimachinery.
/// </summary>
public sealed record ResourceKind(
    string Group,
    string Version,
    string Kind,
    string Resource,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Subresources)
{
    /// <summary>The verbs every stored kind serves.</summary>
    public static readonly IReadOnlyList<string> AllVerbs =
        ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary>
    /// The verbs discovery lists for the kind: <see cref="AllVerbs"/> for stored kinds; read-only virtual kinds (the
    /// resource metrics API) set fewer.
    /// </summary>
    public IReadOnlyList<string> Verbs { get; init; } = AllVerbs;

    /// <summary>
    /// For a version served only through conversion (autoscaling/v1 HorizontalPodAutoscaler): the kind in its storage
    /// version, which every read and write goes through. Null for a kind that is its own storage version.
    /// Mirrors the storage version vs served versions split of k8s.io/apiserver (StorageVersionProvider).
    /// </summary>
    public ResourceKind? StorageKind { get; init; }

    /// <summary>The kind objects are stored as: <see cref="StorageKind"/>, or this kind itself.</summary>
    public ResourceKind StorageVersion => StorageKind ?? this;

    /// <summary><c>v1</c> or <c>apps/v1</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary><c>pods</c> or <c>deployments.apps</c>, as used in error messages.</summary>
    public string GroupResource => Group.Length == 0 ? Resource : $"{Resource}.{Group}";

    /// <summary><c>Pod</c>, <c>Deployment.apps</c>: how upstream names a kind in messages (schema.GroupKind.String()).</summary>
    public string GroupKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";

    /// <summary>URL prefix of the group version: <c>/api/v1</c> or <c>/apis/apps/v1</c>.</summary>
    public string GroupVersionPath => Group.Length == 0 ? "/api/" + Version : $"/apis/{Group}/{Version}";

    /// <summary>Storage key prefix of every object of this kind: <c>/pods/</c>, <c>/deployments.apps/</c>.</summary>
    public string KeyRoot => "/" + GroupResource + "/";

    /// <summary>Storage key of one object. Namespaced kinds need <paramref name="ns"/>.</summary>
    public string Key(string? ns, string name) =>
        Namespaced ? $"{KeyRoot}{ns}/{name}" : KeyRoot + name;

    /// <summary>Storage key prefix for a list: one namespace, or all of them when <paramref name="ns"/> is null.</summary>
    public string ListPrefix(string? ns) => Namespaced && !string.IsNullOrEmpty(ns) ? $"{KeyRoot}{ns}/" : KeyRoot;

    public override string ToString() => $"{ApiVersion}, Kind={Kind}";
}
