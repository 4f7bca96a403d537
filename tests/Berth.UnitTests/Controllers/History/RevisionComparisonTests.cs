using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Machinery.Serialization;
using static Berth.UnitTests.Controllers.History.RevisionHistoryTests;

namespace Berth.UnitTests.Controllers.History;

public sealed class RevisionComparisonTests
{
    private static JsonObject Revision(string name, long revision, string created, string image = "nginx:1") => new()
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["creationTimestamp"] = created },
        ["revision"] = revision,
        ["data"] = Data(image),
    };

    [Fact]
    public void SortControllerRevisions_MixedOrder_ByRevisionThenCreationThenName()
    {
        var sorted = RevisionComparison.SortControllerRevisions(
        [
            Revision("d", 3, "2026-01-01T00:00:00Z"),
            Revision("c", 1, "2026-01-01T00:00:02Z"),
            Revision("b", 1, "2026-01-01T00:00:01Z"),
            Revision("a", 1, "2026-01-01T00:00:02Z"),
            Revision("e", 2, "2025-01-01T00:00:00Z"),
        ]);

        Assert.Equal(["b", "a", "c", "e", "d"], sorted.Select(r => r.GetName()));
    }

    [Fact]
    public void EqualRevision_SameDataDifferentNames_True()
    {
        Assert.True(RevisionComparison.EqualRevision(Revision("a", 1, "x"), Revision("b", 7, "y")));
        Assert.False(RevisionComparison.EqualRevision(Revision("a", 1, "x"), Revision("a", 1, "x", "nginx:2")));
        Assert.False(RevisionComparison.EqualRevision(Revision("a", 1, "x"), null));
        Assert.True(RevisionComparison.EqualRevision(null, null));
    }

    [Fact]
    public void FindEqualRevisions_Needle_ReturnsOnlyEqualOnes()
    {
        var revisions = new[] { Revision("a", 1, "x"), Revision("b", 2, "x", "nginx:2"), Revision("c", 3, "x") };

        var equal = RevisionComparison.FindEqualRevisions(revisions, Revision("n", 9, "x"));

        Assert.Equal(["a", "c"], equal.Select(r => r.GetName()));
    }
}
