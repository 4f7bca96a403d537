namespace Berth.ApiServer.Auth;

/// <summary>
/// Paths served without a token: the health probes and <c>/version</c> (the kubectl dispatcher calls it first),
/// and their sub-paths (<c>/readyz/store</c>). Matches what upstream grants <c>system:public-info-viewer</c>.
/// </summary>
public static class AnonymousPaths
{
    private static readonly string[] Roots = ["/healthz", "/livez", "/readyz", "/version"];

    public static bool IsAnonymous(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }
        foreach (var root in Roots)
        {
            if (path.Equals(root, StringComparison.Ordinal)
                || (path.StartsWith(root, StringComparison.Ordinal) && path.Length > root.Length && path[root.Length] == '/'))
            {
                return true;
            }
        }
        return false;
    }
}
