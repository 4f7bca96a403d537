namespace Berth.Machinery.Patching;

/// <summary>
/// Patch metadata of one field: its strategy, the merge key of a keyed list (null for a primitive set list), and the
/// schema of the nested object or of each list element (null when nothing below it has metadata). Immutable.
/// </summary>
public sealed record PatchField(PatchStrategy Strategy, string? MergeKey, PatchSchema? Schema)
{
    /// <summary>A list of objects merged by <paramref name="mergeKey"/> (<c>patchStrategy:"merge" patchMergeKey:"…"</c>).</summary>
    public static PatchField MergeList(string mergeKey, PatchSchema? element = null) => new(PatchStrategy.Merge, mergeKey, element);

    /// <summary>A list of primitives merged as an ordered set (<c>patchStrategy:"merge"</c> without a key, e.g. finalizers).</summary>
    public static PatchField MergeSet { get; } = new(PatchStrategy.Merge, null, null);

    /// <summary>An object replaced whole (<c>patchStrategy:"replace"</c>).</summary>
    public static PatchField ReplaceObject { get; } = new(PatchStrategy.Replace, null, null);

    /// <summary>A nested object with no tag of its own whose fields have metadata.</summary>
    public static PatchField Object(PatchSchema schema) => new(PatchStrategy.Default, null, schema);

    /// <summary>
    /// Upstream's <c>retainKeys</c> strategy beside the merge (<c>patchStrategy:"merge,retainKeys"</c> on volumes) or alone
    /// (a deployment's strategy). Documentation only: the server honours a <c>$retainKeys</c> directive wherever it
    /// appears, and the OpenAPI document publishes it as <c>x-kubernetes-patch-strategy</c>.
    /// </summary>
    public bool RetainKeys { get; init; }

    /// <summary>
    /// The keys of a list upstream declares <c>+listType=map</c> (<c>x-kubernetes-list-map-keys</c>), or null when it
    /// declares none; the merge key comes first. Documentation only, published in the OpenAPI document.
    /// </summary>
    public IReadOnlyList<string>? ListMapKeys { get; init; }

    /// <summary>A field with no strategy of its own whose value keeps only the patch's keys on a <c>$retainKeys</c>.</summary>
    public static PatchField RetainKeysObject { get; } = new(PatchStrategy.Default, null, null) { RetainKeys = true };

    /// <summary>True for a list merged element by element (keyed or primitive set).</summary>
    public bool IsMergeList => Strategy == PatchStrategy.Merge;
}
