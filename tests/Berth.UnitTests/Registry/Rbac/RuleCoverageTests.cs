using Berth.Registry.Rbac;

namespace Berth.UnitTests.Registry.Rbac;

public sealed class RuleCoverageTests
{
    private static readonly PolicyRule[] Held =
    [
        PolicyRule.ForResources(["", "apps"], ["pods", "deployments", "*/scale"], "get", "list"),
        PolicyRule.ForResources([""], ["configmaps"], ["update"]) with { ResourceNames = ["settings"] },
        PolicyRule.ForUrls(["/healthz", "/apis/*"], "get"),
    ];

    [Fact]
    public void Missing_HeldRules_Covered() =>
        Assert.Empty(RuleCoverage.Missing(Held,
        [
            PolicyRule.ForResources(["apps"], ["deployments", "statefulsets/scale"], "list"),
            PolicyRule.ForResources([""], ["configmaps"], "update") with { ResourceNames = ["settings"] },
            PolicyRule.ForUrls(["/apis/apps/v1", "/healthz"], "get"),
        ]));

    [Fact]
    public void Missing_ListsUncoveredPartsCompactedAndSorted() =>
        Assert.Equal(
        [
            "{APIGroups:[\"\"], Resources:[\"configmaps\"], ResourceNames:[\"other\"], Verbs:[\"update\"]}",
            "{APIGroups:[\"\"], Resources:[\"configmaps\"], Verbs:[\"update\"]}",
            "{APIGroups:[\"apps\"], Resources:[\"deployments\"], Verbs:[\"delete\" \"watch\"]}",
            "{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}",
        ],
        RuleCoverage.Missing(Held,
        [
            PolicyRule.ForResources(["apps"], ["deployments"], "get", "delete", "watch"),
            PolicyRule.ForResources([""], ["configmaps"], "update"),
            PolicyRule.ForResources([""], ["configmaps"], "update") with { ResourceNames = ["settings", "other"] },
            PolicyRule.ForUrls(["/metrics", "/healthz"], "get"),
        ]));

    [Fact]
    public void Missing_Wildcards_CoverEverything() =>
        Assert.Empty(RuleCoverage.Missing([PolicyRule.ForResources(["*"], ["*"], "*"), PolicyRule.ForUrls(["*"], "*")],
            [PolicyRule.ForResources(["batch"], ["jobs/status"], "patch"), PolicyRule.ForUrls(["/x"], "post")]));
}
