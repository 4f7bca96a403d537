namespace Berth.Registry.Validation;

/// <summary>
/// Builds field paths in the form apimachinery renders them: <c>spec.containers[0].resources.limits[cpu]</c>.
/// Mirrors k8s.io/apimachinery/pkg/util/validation/field/path.go.
/// </summary>
internal static class FieldPath
{
    public static string Child(string parent, string child) => parent.Length == 0 ? child : parent + "." + child;

    public static string Child(string parent, params string[] children)
    {
        var path = parent;
        foreach (var c in children)
        {
            path = Child(path, c);
        }
        return path;
    }

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    public static string Key(string parent, string key) => $"{parent}[{key}]";
}
