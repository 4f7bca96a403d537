using System.Text.Json.Nodes;
using Berth.Controllers.History;
using Berth.Controllers.Util;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.History;

public sealed class RevisionHistoryTests
{
    internal static JsonObject Parent(string name = "web", string uid = "uid-1") => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "StatefulSet",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default", ["uid"] = uid },
    };

    internal static JsonObject Data(string image) => new()
    {
        ["spec"] = new JsonObject
        {
            ["template"] = new JsonObject
            {
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "c", ["image"] = image }) },
                ["$patch"] = "replace",
            },
        },
    };

    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web" };

    [Fact]
    public void ControllerRevisionName_LongPrefix_CutTo223Characters()
    {
        var name = RevisionHistory.ControllerRevisionName(new string('a', 300), "hash");

        Assert.Equal(new string('a', 223) + "-hash", name);
        Assert.Equal("web-abc", RevisionHistory.ControllerRevisionName("web", "abc"));
    }

    [Fact]
    public void HashControllerRevision_SameData_SameHashAndProbeChangesIt()
    {
        var a = new JsonObject { ["data"] = Data("nginx:1") };
        var b = new JsonObject { ["data"] = Data("nginx:1") };

        Assert.Equal(RevisionHistory.HashControllerRevision(a, null), RevisionHistory.HashControllerRevision(b, null));
        Assert.NotEqual(RevisionHistory.HashControllerRevision(a, null), RevisionHistory.HashControllerRevision(a, 1));
        Assert.NotEqual(RevisionHistory.HashControllerRevision(a, 1), RevisionHistory.HashControllerRevision(a, 2));
        Assert.NotEqual(RevisionHistory.HashControllerRevision(a, null), RevisionHistory.HashControllerRevision(new JsonObject { ["data"] = Data("nginx:2") }, null));
    }

    [Fact]
    public void HashControllerRevision_NullsAndEmptyObjects_Ignored()
    {
        var plain = new JsonObject { ["data"] = Data("nginx:1") };
        var undone = new JsonObject { ["data"] = Data("nginx:1") };
        undone.GetObject("data", "spec", "template")!["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        undone.GetObject("data", "spec", "template", "spec")!["resources"] = new JsonObject();

        Assert.Equal(RevisionHistory.HashControllerRevision(plain, null), RevisionHistory.HashControllerRevision(undone, null));
    }

    [Fact]
    public void NewControllerRevision_Parent_NamedByHashWithLabelsAndControllerRef()
    {
        var cr = RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 3, null);

        var hash = cr.GetLabels()[RevisionHistory.ControllerRevisionHashLabel];
        Assert.Equal("web-" + hash, cr.GetName());
        Assert.Equal("web", cr.GetLabels()["app"]);
        Assert.Equal(3, cr.GetLong("revision"));
        Assert.Equal("default", cr.GetNamespace());
        Assert.Equal(("uid-1", "StatefulSet", true), (OwnerReferences.GetControllerOf(cr)!.GetString("uid"), OwnerReferences.GetControllerOf(cr)!.GetString("kind"),
            OwnerReferences.GetControllerOf(cr)!.GetBool("controller")));
        Assert.Equal("nginx:1", cr.GetPath("data", "spec", "template", "spec", "containers")![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void NewControllerRevision_CollisionCount_ChangesName()
    {
        var first = RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, null);
        var second = RevisionHistory.NewControllerRevision(Parent(), Labels, Data("nginx:1"), 1, 1);

        Assert.NotEqual(first.GetName(), second.GetName());
    }
}
