namespace Berth.ApiServer.Tables;

/// <summary>
/// Column definitions shared by many printers, with upstream's names, types and (shortened) descriptions.
/// Mirrors the metav1.ObjectMeta SwaggerDoc-based columns of kubernetes/kubernetes pkg/printers/internalversion/printers.go.
/// </summary>
internal static class CommonColumns
{
    public static readonly TableColumn Name =
        new("Name", "string", "name", "Name must be unique within a namespace.");

    public static readonly TableColumn Age =
        new("Age", "string", "", "CreationTimestamp is a timestamp representing the server time when this object was created.");

    public static readonly TableColumn Containers =
        new("Containers", "string", "", "Names of each container in the template.", 1);

    public static readonly TableColumn Images =
        new("Images", "string", "", "Images referenced by each container in the template.", 1);

    /// <summary>A plain string column shown by default.</summary>
    public static TableColumn Text(string name, string description) => new(name, "string", "", description);

    /// <summary>An integer column shown by default.</summary>
    public static TableColumn Integer(string name, string description) => new(name, "integer", "", description);

    /// <summary>A string column shown only with <c>-o wide</c>.</summary>
    public static TableColumn Wide(string name, string description) => new(name, "string", "", description, 1);
}
