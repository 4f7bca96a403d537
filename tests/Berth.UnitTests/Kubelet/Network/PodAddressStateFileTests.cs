using System.Text.Json;
using Berth.Kubelet.Network;
using Berth.UnitTests.Server;

namespace Berth.UnitTests.Kubelet.Network;

/// <summary>The two-slot allocation file: alternation, in-place rewrites, and recovery from a damaged slot.</summary>
public sealed class PodAddressStateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string First => Path.Combine(_dir.Path, PodAddressStateFile.FileName);

    private string Second => Path.Combine(_dir.Path, PodAddressStateFile.SecondFileName);

    [Fact]
    public void Save_Repeatedly_AlternatesSlotsAndLoadsNewest()
    {
        var file = Loaded();
        file.Save(State(("a", "127.1.0.2")));
        file.Save(State(("a", "127.1.0.2"), ("b", "127.1.0.3")));
        file.Save(State(("b", "127.1.0.3")));

        var loaded = Loaded().Load();

        Assert.NotNull(loaded);
        Assert.Equal(["b"], loaded.Pods.Keys);
        Assert.Equal(3, Generation(Second));
        Assert.Equal(2, Generation(First));
    }

    [Fact]
    public void Save_AfterBothSlotsExist_RewritesInPlace()
    {
        var file = Loaded();
        file.Save(State(("a", "127.1.0.2"), ("b", "127.1.0.3")));
        file.Save(State(("a", "127.1.0.2"), ("b", "127.1.0.3")));
        using var first = File.OpenRead(First);
        using var second = File.OpenRead(Second);

        file.Save(State(("c", "127.1.0.4")));
        file.Save(State());

        Assert.Equal(3, Generation(second)); // the handles opened before see the new generations: same inodes
        Assert.Equal(4, Generation(first));
        Assert.Empty(Loaded().Load()!.Pods);
    }

    [Fact]
    public void Load_NewestSlotTorn_TakesTheOther()
    {
        var file = Loaded();
        file.Save(State(("a", "127.1.0.2")));
        file.Save(State(("a", "127.1.0.2"), ("b", "127.1.0.3")));
        var newest = File.ReadAllBytes(First);
        File.WriteAllBytes(First, newest[..(newest.Length / 2)]);

        var loaded = Loaded().Load();

        Assert.Equal(["a"], loaded!.Pods.Keys);
    }

    [Fact]
    public void Load_NewHeadOverOlderTail_TakesTheOther()
    {
        // A save that stopped after its first bytes: the head of generation 3 over the rest of generation 1.
        var file = Loaded();
        file.Save(State(("a", "127.1.0.2"), ("b", "127.1.0.3")));
        file.Save(State(("a", "127.1.0.2")));
        var older = File.ReadAllText(Second);
        File.WriteAllText(Second, older.Replace("\"generation\": 1", "\"generation\": 3", StringComparison.Ordinal));

        var loaded = Loaded().Load();

        Assert.Equal(["a"], loaded!.Pods.Keys);
    }

    [Fact]
    public void Load_NotTruncatedAfterShorterSave_TakesTheOther()
    {
        var file = Loaded();
        file.Save(State(("a", "127.1.0.2"), ("b", "127.1.0.3"), ("c", "127.1.0.4")));
        file.Save(State(("a", "127.1.0.2")));
        var longer = File.ReadAllBytes(Second);
        file.Save(State(("d", "127.1.0.5")));
        var shorter = File.ReadAllBytes(Second);
        shorter.CopyTo(longer, 0);
        File.WriteAllBytes(Second, longer); // the new object followed by the old one's last bytes

        var loaded = Loaded().Load();

        Assert.Equal(["a"], loaded!.Pods.Keys);
    }

    [Fact]
    public void Load_EarlierSingleFileFormat_LoadsAndNextSaveKeepsIt()
    {
        File.WriteAllText(First, """{"range": "127.1.0.0/16", "last": "127.1.0.9", "pods": {"a": "127.1.0.9"}}""");
        var file = Loaded();

        file.Save(State(("a", "127.1.0.9"), ("b", "127.1.0.10")));

        Assert.Equal(["a", "b"], Loaded().Load()!.Pods.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("\"a\": \"127.1.0.9\"", File.ReadAllText(First), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BothSlotsDamaged_Throws()
    {
        File.WriteAllText(First, "{\"pods\":");
        File.WriteAllBytes(Second, []);

        Assert.ThrowsAny<JsonException>(() => new PodAddressStateFile(_dir.Path).Load());
    }

    [Fact]
    public void Load_NoFiles_Null()
    {
        Assert.Null(new PodAddressStateFile(_dir.Path).Load());
    }

    private PodAddressStateFile Loaded()
    {
        var file = new PodAddressStateFile(_dir.Path);
        file.Load();
        return file;
    }

    private static PodAddressState State(params (string Uid, string Ip)[] pods) =>
        new("127.1.0.0/16", pods.Length == 0 ? null : pods[^1].Ip, pods.ToDictionary(p => p.Uid, p => p.Ip));

    private static long Generation(string path)
    {
        using var stream = File.OpenRead(path);
        return Generation(stream);
    }

    private static long Generation(FileStream stream)
    {
        stream.Position = 0;
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.GetProperty("generation").GetInt64();
    }
}
