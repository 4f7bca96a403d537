using Berth.Controllers.Rbac;
using Berth.Machinery.Kinds;
using Berth.Registry.Rbac;

namespace Berth.UnitTests.Controllers.Rbac;

// The default roles must keep up with the kinds Berth serves: a kind added without rules would be invisible to every
// ServiceAccount bound to view/edit, unlike on a cluster.
public sealed class BootstrapRoleCoverageTests
{
    // Upstream's view reads none of these; edit writes none but Secrets (checked below).
    private static readonly HashSet<ResourceKind> NotForView =
    [
        KindRegistry.Secrets, KindRegistry.Roles, KindRegistry.RoleBindings, KindRegistry.Leases,
    ];

    // Namespaced kinds upstream's edit only reads (quotas and limits are the cluster admin's; revisions and events are
    // written by controllers).
    private static readonly HashSet<ResourceKind> NotForEdit =
    [
        KindRegistry.Roles, KindRegistry.RoleBindings, KindRegistry.Leases, KindRegistry.LimitRanges,
        KindRegistry.ResourceQuotas, KindRegistry.ControllerRevisions, KindRegistry.Events,
    ];

    public static TheoryData<string> NamespacedKinds() =>
        [.. KindRegistry.AllKinds.Where(k => k.Namespaced && k.Verbs.Contains("create")).Select(k => k.GroupResource)];

    [Theory]
    [MemberData(nameof(NamespacedKinds))]
    public void View_ServedNamespacedKind_ListAllowedUnlessUpstreamHidesIt(string groupResource)
    {
        var kind = KindRegistry.AllKinds.Single(k => k.GroupResource == groupResource);

        Assert.Equal(!NotForView.Contains(kind), Allows("system:aggregate-to-view", "list", kind));
    }

    [Theory]
    [MemberData(nameof(NamespacedKinds))]
    public void Edit_ServedNamespacedKind_CreateAllowedUnlessUpstreamReservesIt(string groupResource)
    {
        var kind = KindRegistry.AllKinds.Single(k => k.GroupResource == groupResource);

        Assert.Equal(!NotForEdit.Contains(kind), Allows("system:aggregate-to-edit", "create", kind));
    }

    private static bool Allows(string role, string verb, ResourceKind kind) =>
        BootstrapRoles.All.Single(r => r.Name == role).Rules
            .Any(rule => rule.Allows(AuthorizationAttributes.ForResource("u", [], verb, kind.Group, kind.Resource, "default")));
}
