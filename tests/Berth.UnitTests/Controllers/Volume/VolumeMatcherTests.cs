using System.Text.Json.Nodes;
using Berth.Controllers.Volume;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.Controllers.Volume;

public sealed class VolumeMatcherTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Claim(string extra = "") => Parse("""
        {"metadata":{"name":"data","namespace":"ns","uid":"u1"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"storageClassName":"fast"@extra@}}
        """.Replace("@extra@", extra));

    private static JsonObject Volume(string name, string size, string modes = "\"ReadWriteOnce\"", string cls = "fast", string extra = "") => Parse("""
        {"metadata":{"name":"@name@","labels":{"zone":"a"}},"spec":{"capacity":{"storage":"@size@"},"accessModes":[@modes@],"storageClassName":"@cls@","hostPath":{"path":"/x"}@extra@}}
        """.Replace("@extra@", extra).Replace("@name@", name).Replace("@size@", size).Replace("@modes@", modes).Replace("@cls@", cls));

    [Fact]
    public void PicksSmallestVolumeThatFits() =>
        Assert.Equal("v2", VolumeMatcher.FindMatchingVolume(Claim(), [Volume("v1", "5Gi"), Volume("v2", "1024Mi"), Volume("v3", "512Mi")])!.GetName());

    [Fact]
    public void ClassAccessModesAndVolumeModeMustMatch()
    {
        Assert.Null(VolumeMatcher.FindMatchingVolume(Claim(), [Volume("v1", "5Gi", cls: "slow")]));
        Assert.Null(VolumeMatcher.FindMatchingVolume(Claim(), [Volume("v1", "5Gi", modes: "\"ReadOnlyMany\"")]));
        Assert.Null(VolumeMatcher.FindMatchingVolume(Claim(), [Volume("v1", "5Gi", extra: ",\"volumeMode\":\"Block\"")]));
    }

    [Fact]
    public void SelectorFiltersByVolumeLabels()
    {
        Assert.Null(VolumeMatcher.FindMatchingVolume(Claim(",\"selector\":{\"matchLabels\":{\"zone\":\"b\"}}"), [Volume("v1", "5Gi")]));
        Assert.NotNull(VolumeMatcher.FindMatchingVolume(Claim(",\"selector\":{\"matchLabels\":{\"zone\":\"a\"}}"), [Volume("v1", "5Gi")]));
    }

    [Fact]
    public void PreBoundVolumeWins_OthersClaimsAreSkipped()
    {
        var mine = Volume("mine", "8Gi", extra: ",\"claimRef\":{\"namespace\":\"ns\",\"name\":\"data\"}");
        var theirs = Volume("theirs", "1Gi", extra: ",\"claimRef\":{\"namespace\":\"ns\",\"name\":\"other\"}");
        Assert.Equal("mine", VolumeMatcher.FindMatchingVolume(Claim(), [Volume("free", "1Gi"), mine])!.GetName());
        Assert.Null(VolumeMatcher.FindMatchingVolume(Claim(), [theirs]));
    }
}
