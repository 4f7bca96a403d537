namespace Berth.Machinery.Meta;

/// <summary>
/// The work-queue key of an object: namespace (empty for cluster-scoped) and name.
/// Renders as client-go's <c>MetaNamespaceKeyFunc</c> does: <c>ns/name</c> or <c>name</c>.
/// </summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public override string ToString() => Namespace.Length == 0 ? Name : Namespace + "/" + Name;

    public static ObjectKey Parse(string key)
    {
        var slash = key.IndexOf('/');
        return slash < 0 ? new ObjectKey("", key) : new ObjectKey(key[..slash], key[(slash + 1)..]);
    }
}
