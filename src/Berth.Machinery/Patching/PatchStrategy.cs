namespace Berth.Machinery.Patching;

/// <summary>
/// How a strategic merge patch combines a field's patch value with its live value, from the upstream
/// <c>patchStrategy</c> struct tag. Mirrors k8s.io/apimachinery/pkg/util/strategicpatch (patchStrategy tags).
/// </summary>
public enum PatchStrategy
{
    /// <summary>No tag: objects and maps merge key by key; lists are replaced whole (atomic).</summary>
    Default,

    /// <summary><c>patchStrategy:"merge"</c> on a list: elements merge by <see cref="PatchField.MergeKey"/>, or as a set of primitives.</summary>
    Merge,

    /// <summary><c>patchStrategy:"replace"</c> on an object: the patch value replaces the live value whole.</summary>
    Replace,
}
