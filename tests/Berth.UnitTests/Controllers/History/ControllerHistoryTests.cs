using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Controllers.Util;
using Berth.Machinery.Kinds;
using Berth.Machinery.Selectors;
using Berth.Machinery.Serialization;
using Berth.Testing.Fakes;
using static Berth.UnitTests.Controllers.History.RevisionHistoryTests;

namespace Berth.UnitTests.Controllers.History;

public sealed class ControllerHistoryTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web" };

    private readonly FakeApiClient _api = new();

    private static JsonObject Owned(string name, string? ownerUid, string app = "web")
    {
        var cr = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["labels"] = new JsonObject { ["app"] = app } },
            ["data"] = Data("nginx:1"),
            ["revision"] = 1,
        };
        if (ownerUid is not null)
        {
            cr.Metadata()["ownerReferences"] = new JsonArray(OwnerReferences.NewControllerRef(Parent(uid: ownerUid)));
        }
        return cr;
    }

    [Fact]
    public void ListControllerRevisions_MixedOwners_ReturnsOwnedAndOrphansMatchingSelector()
    {
        var history = new ControllerHistory(_api, new ListLister(
            Owned("mine", "uid-1"), Owned("orphan", null), Owned("theirs", "uid-2"), Owned("other-app", "uid-1", app: "db")));

        var listed = history.ListControllerRevisions(Parent(), LabelSelector.Parse("app=web"));

        Assert.Equal(["mine", "orphan"], listed.Select(r => r.GetName()).Order());
    }

    [Fact]
    public async Task CreateControllerRevisionAsync_NameFree_CreatesWithUnchangedCollisionCount()
    {
        var history = new ControllerHistory(_api, new ListLister());
        var revision = RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, null);

        var created = await history.CreateControllerRevisionAsync(Parent(), revision, 0, CancellationToken.None);

        Assert.Equal(0, created.CollisionCount);
        Assert.Equal("web-" + RevisionHistory.HashControllerRevision(revision, 0), created.Revision.GetName());
        Assert.NotNull((await _api.GetAsync(KindRegistry.ControllerRevisions, "default", created.Revision.GetName()!)).GetUid());
    }

    [Fact]
    public async Task CreateControllerRevisionAsync_SameDataExists_ReturnsExisting()
    {
        var history = new ControllerHistory(_api, new ListLister());
        var revision = RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, null);
        var first = await history.CreateControllerRevisionAsync(Parent(), revision, 0, CancellationToken.None);

        var again = await history.CreateControllerRevisionAsync(Parent(), revision, 0, CancellationToken.None);

        Assert.Equal(first.Revision.GetUid(), again.Revision.GetUid());
        Assert.Equal(0, again.CollisionCount);
    }

    [Fact]
    public async Task CreateControllerRevisionAsync_HashCollision_BumpsCollisionCountAndRenames()
    {
        var history = new ControllerHistory(_api, new ListLister());
        var revision = RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, null);
        var squatter = Owned("web-" + RevisionHistory.HashControllerRevision(revision, 0), "uid-1");
        squatter["data"] = Data("other:1");
        await _api.CreateAsync(KindRegistry.ControllerRevisions, "default", squatter);

        var created = await history.CreateControllerRevisionAsync(Parent(), revision, 0, CancellationToken.None);

        Assert.Equal(1, created.CollisionCount);
        Assert.Equal("web-" + RevisionHistory.HashControllerRevision(revision, 1), created.Revision.GetName());
    }

    [Fact]
    public async Task UpdateControllerRevisionAsync_NewNumber_Written()
    {
        var history = new ControllerHistory(_api, new ListLister());
        var created = await history.CreateControllerRevisionAsync(Parent(),
            RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, null), 0, CancellationToken.None);

        var updated = await history.UpdateControllerRevisionAsync(created.Revision, 4, CancellationToken.None);

        Assert.Equal(4, updated.GetLong("revision"));
        Assert.Equal(4, (await _api.GetAsync(KindRegistry.ControllerRevisions, "default", created.Revision.GetName()!)).GetLong("revision"));
    }

    [Fact]
    public async Task DeleteControllerRevisionAsync_TwiceOrGone_NoError()
    {
        var history = new ControllerHistory(_api, new ListLister());
        var created = await history.CreateControllerRevisionAsync(Parent(),
            RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, null), 0, CancellationToken.None);

        await history.DeleteControllerRevisionAsync(created.Revision, CancellationToken.None);
        await history.DeleteControllerRevisionAsync(created.Revision, CancellationToken.None);

        Assert.Empty((await _api.ListAsync(KindRegistry.ControllerRevisions, "default")).Items);
    }
}
