namespace Berth.Registry.Rbac;

/// <summary>
/// What a request asks to do, as an authorizer sees it: who (<see cref="User"/>, <see cref="Groups"/>), the verb
/// (<c>get list watch create update patch delete deletecollection</c> for resources; the lower-case HTTP method for
/// other paths), and either the resource coordinates or the <see cref="Path"/>. Empty strings stand for "none".
/// Immutable. Mirrors k8s.io/apiserver pkg/authorization/authorizer (AttributesRecord).
/// </summary>
public sealed record AuthorizationAttributes(
    string User,
    IReadOnlyList<string> Groups,
    string Verb,
    bool IsResourceRequest,
    string Path,
    string ApiGroup = "",
    string ApiVersion = "",
    string Resource = "",
    string Subresource = "",
    string Namespace = "",
    string Name = "")
{
    /// <summary>A resource request (builder for reviews and tests).</summary>
    public static AuthorizationAttributes ForResource(string user, IReadOnlyList<string> groups, string verb, string apiGroup,
        string resource, string ns = "", string name = "", string subresource = "") =>
        new(user, groups, verb, true, "", apiGroup, "", resource, subresource, ns, name);

    /// <summary>A non-resource request.</summary>
    public static AuthorizationAttributes ForPath(string user, IReadOnlyList<string> groups, string verb, string path) =>
        new(user, groups, verb, false, path);
}
