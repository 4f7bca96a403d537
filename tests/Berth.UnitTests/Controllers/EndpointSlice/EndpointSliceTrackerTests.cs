using System.Text.Json.Nodes;
using Berth.Controllers.EndpointSlice;
using Berth.Machinery.Meta;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.EndpointSlice;

public sealed class EndpointSliceTrackerTests
{
    private static readonly ObjectKey Web = new("default", "web");

    private static JsonObject Slice(string name, long rv) =>
        new() { ["metadata"] = new JsonObject { ["name"] = name, ["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) } };

    [Fact]
    public void Overlay_StaleCache_UsesOwnWritesAndDropsOwnDeletes()
    {
        var tracker = new EndpointSliceTracker();
        tracker.Written(Web, Slice("a", 10));
        tracker.Written(Web, Slice("new", 11));
        tracker.MarkDeleted(Web, "gone");
        var overlay = tracker.Overlay(Web, [Slice("a", 7), Slice("gone", 5), Slice("other", 3)]);
        Assert.Equal(["a:10", "new:11", "other:3"], overlay.Select(s => $"{s.GetName()}:{s.GetResourceVersion()}").Order());
    }

    [Fact]
    public void Overlay_NewerCache_Wins()
    {
        var tracker = new EndpointSliceTracker();
        tracker.Written(Web, Slice("a", 10));
        Assert.Equal("12", Assert.Single(tracker.Overlay(Web, [Slice("a", 12)])).GetResourceVersion());
    }

    [Fact]
    public void ShouldSync_OwnWriteSkipped_ForeignChangeOrDeleteSynced()
    {
        var tracker = new EndpointSliceTracker();
        tracker.Written(Web, Slice("a", 10));
        Assert.False(tracker.ShouldSync(Web, Slice("a", 10), deleted: false));
        Assert.True(tracker.ShouldSync(Web, Slice("a", 11), deleted: false));
        Assert.True(tracker.ShouldSync(Web, Slice("a", 11), deleted: true));
        Assert.Empty(tracker.Overlay(Web, []));
        tracker.MarkDeleted(Web, "b");
        Assert.False(tracker.ShouldSync(Web, Slice("b", 3), deleted: true));
    }
}
