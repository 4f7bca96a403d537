namespace Berth.Machinery.Patching;

/// <summary>
/// Patch metadata of one object type: the fields whose strategy is not the default or under which such fields nest.
/// Fields not listed use <see cref="PatchStrategy.Default"/> with <see cref="Empty"/> below them. Immutable and
/// shared; built once by <see cref="PatchMergeKeys"/>. Plays the role of the Go struct tags that
/// forkedjson.LookupPatchMetadata reads in k8s.io/apimachinery/pkg/util/strategicpatch.
/// </summary>
public sealed class PatchSchema
{
    private readonly Dictionary<string, PatchField> _fields;

    public PatchSchema(IEnumerable<KeyValuePair<string, PatchField>> fields) =>
        _fields = new Dictionary<string, PatchField>(fields, StringComparer.Ordinal);

    /// <summary>A type without metadata: maps merge, lists replace, all the way down.</summary>
    public static PatchSchema Empty { get; } = new([]);

    /// <summary>The listed fields, for documentation and for server-side apply's field sets.</summary>
    public IReadOnlyDictionary<string, PatchField> Fields => _fields;

    /// <summary>Metadata of <paramref name="name"/>, or null when the field has default behaviour and nothing below it.</summary>
    public PatchField? Field(string name) => _fields.GetValueOrDefault(name);

    /// <summary>The schema under <paramref name="name"/> (nested object or list element), or <see cref="Empty"/>.</summary>
    public PatchSchema Child(string name) => Field(name)?.Schema ?? Empty;
}
