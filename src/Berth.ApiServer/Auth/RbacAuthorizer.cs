using Berth.Machinery.Errors;
using Berth.Registry.Rbac;
using k8s.Models;

namespace Berth.ApiServer.Auth;

/// <summary>
/// Decides requests of users other than the administrator: members of <c>system:masters</c> may do everything
/// (upstream's privileged-group authorizer, ahead of RBAC); everyone else is judged by the current RBAC snapshot.
/// Reads one volatile reference per request; thread-safe singleton.
/// </summary>
/// <remarks>Mirrors kube-apiserver's authorizer chain (privileged groups, then plugin/pkg/auth/authorizer/rbac).</remarks>
public sealed class RbacAuthorizer(RbacPolicyHolder policy)
{
    public const string MastersGroup = "system:masters";

    /// <summary>The policy holder (to wait for the first snapshot).</summary>
    public RbacPolicyHolder Policy => policy;

    public RbacDecision Authorize(AuthorizationAttributes request)
    {
        var groups = request.Groups;
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i] == MastersGroup)
            {
                return RbacDecision.AllowedWithoutReason;
            }
        }
        return policy.Current.Authorize(request);
    }

    /// <summary>
    /// The 403 upstream answers for a denied request: <c>pods is forbidden: User "u" cannot list resource "pods" in API
    /// group "" in the namespace "default"</c>, the RBAC reason appended after a colon when there is one.
    /// </summary>
    /// <remarks>Mirrors k8s.io/apiserver pkg/endpoints/handlers/responsewriters (forbiddenMessage, Forbidden) and apierrors.NewForbidden.</remarks>
    public static ApiException Forbidden(AuthorizationAttributes request, string reason)
    {
        string what;
        if (!request.IsResourceRequest)
        {
            what = $"User \"{request.User}\" cannot {request.Verb} path \"{request.Path}\"";
        }
        else
        {
            var resource = request.Subresource.Length > 0 ? $"{request.Resource}/{request.Subresource}" : request.Resource;
            what = $"User \"{request.User}\" cannot {request.Verb} resource \"{resource}\" in API group \"{request.ApiGroup}\""
                + (request.Namespace.Length > 0 ? $" in the namespace \"{request.Namespace}\"" : " at the cluster scope");
        }
        if (reason.Length > 0)
        {
            what += ": " + reason;
        }
        var groupResource = request.ApiGroup.Length > 0 ? $"{request.Resource}.{request.ApiGroup}" : request.Resource;
        var message = groupResource.Length == 0 ? "forbidden: " + what
            : request.Name.Length == 0 ? $"{groupResource} is forbidden: {what}"
            : $"{groupResource} \"{request.Name}\" is forbidden: {what}";
        var details = new V1StatusDetails
        {
            Group = request.ApiGroup.Length > 0 ? request.ApiGroup : null,
            Kind = request.Resource.Length > 0 ? request.Resource : null,
            Name = request.Name.Length > 0 ? request.Name : null,
        };
        return new ApiException(403, StatusReason.Forbidden, message, details);
    }
}
