using Berth.ApiServer.Auth;
using Berth.Registry.Rbac;

namespace Berth.UnitTests.ApiServer.Auth;

public sealed class RequestAttributesTests
{
    private static readonly AuthenticatedUser User = new("u", ["system:authenticated"], new Dictionary<string, IReadOnlyList<string>>());

    [Theory]
    [InlineData("GET", "/api/v1/namespaces/default/pods", "", "list", "", "pods", "", "default", "")]
    [InlineData("GET", "/api/v1/namespaces/default/pods", "watch=true", "watch", "", "pods", "", "default", "")]
    [InlineData("GET", "/api/v1/namespaces/default/pods", "fieldSelector=metadata.name%3Dweb", "list", "", "pods", "", "default", "web")]
    [InlineData("GET", "/api/v1/pods", "watch=1", "watch", "", "pods", "", "", "")]
    [InlineData("GET", "/api/v1/namespaces/default/pods/web/log", "", "get", "", "pods", "log", "default", "web")]
    [InlineData("POST", "/api/v1/namespaces/default/pods/web/eviction", "", "create", "", "pods", "eviction", "default", "web")]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/x/deployments", "", "deletecollection", "apps", "deployments", "", "x", "")]
    [InlineData("DELETE", "/apis/apps/v1/namespaces/x/deployments/web", "", "delete", "apps", "deployments", "", "x", "web")]
    [InlineData("PATCH", "/apis/apps/v1/namespaces/x/deployments/web/scale", "", "patch", "apps", "deployments", "scale", "x", "web")]
    [InlineData("PUT", "/api/v1/namespaces/x/finalize", "", "update", "", "namespaces", "finalize", "x", "x")]
    [InlineData("GET", "/api/v1/namespaces/x", "", "get", "", "namespaces", "", "x", "x")]
    [InlineData("GET", "/api/v1/namespaces", "", "list", "", "namespaces", "", "", "")]
    [InlineData("GET", "/api/v1/watch/namespaces/x/pods", "", "watch", "", "pods", "", "x", "")]
    [InlineData("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "", "create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", "")]
    public void From_ResourcePaths(string method, string path, string query, string verb, string group, string resource,
        string subresource, string ns, string name)
    {
        var attributes = From(method, path, query);

        Assert.True(attributes.IsResourceRequest);
        Assert.Equal((verb, group, resource, subresource, ns, name),
            (attributes.Verb, attributes.ApiGroup, attributes.Resource, attributes.Subresource, attributes.Namespace, attributes.Name));
    }

    [Theory]
    [InlineData("GET", "/api", "get")]
    [InlineData("GET", "/api/v1", "get")]
    [InlineData("GET", "/apis/apps/v1", "get")]
    [InlineData("GET", "/openapi/v3/apis/apps/v1", "get")]
    [InlineData("POST", "/version", "post")]
    public void From_NonResourcePaths(string method, string path, string verb)
    {
        var attributes = From(method, path, "");

        Assert.False(attributes.IsResourceRequest);
        Assert.Equal((verb, path), (attributes.Verb, attributes.Path));
    }

    [Fact]
    public void Forbidden_ResourceInNamespace_UpstreamMessageAndDetails()
    {
        var error = RbacAuthorizer.Forbidden(From("GET", "/api/v1/namespaces/default/pods", ""), "");

        Assert.Equal(403, error.Code);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Equal("pods is forbidden: User \"u\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"", error.Message);
        Assert.Equal("pods", error.Details!.Kind);
    }

    [Fact]
    public void Forbidden_NamedSubresourceAtClusterScopeWithReason()
    {
        var error = RbacAuthorizer.Forbidden(From("PUT", "/apis/rbac.authorization.k8s.io/v1/clusterroles/x", ""), "RBAC: role.rbac.authorization.k8s.io \"r\" not found");

        Assert.Equal("clusterroles.rbac.authorization.k8s.io \"x\" is forbidden: User \"u\" cannot update resource \"clusterroles\" in API group "
            + "\"rbac.authorization.k8s.io\" at the cluster scope: RBAC: role.rbac.authorization.k8s.io \"r\" not found", error.Message);
        Assert.Equal(("rbac.authorization.k8s.io", "clusterroles", "x"), (error.Details!.Group, error.Details.Kind, error.Details.Name));
    }

    [Fact]
    public void Forbidden_Path() =>
        Assert.Equal("forbidden: User \"u\" cannot get path \"/metrics\"", RbacAuthorizer.Forbidden(From("GET", "/metrics", ""), "").Message);

    [Fact]
    public void Authorize_MastersBypassPolicy_OthersUseTheSnapshot()
    {
        var authorizer = new RbacAuthorizer(new RbacPolicyHolder());
        var request = AuthorizationAttributes.ForResource("admin", ["system:masters"], "delete", "", "nodes");

        Assert.True(authorizer.Authorize(request).Allowed);
        Assert.False(authorizer.Authorize(request with { Groups = ["system:authenticated"] }).Allowed);
    }

    private static AuthorizationAttributes From(string method, string path, string query)
    {
        var context = Berth.UnitTests.ApiServer.HttpContextFactory.Create(path, query: query.Length > 0 ? "?" + query : "");
        context.Request.Method = method;
        return RequestAttributes.From(context.Request, User);
    }
}
