using System.Text;
using Berth.Kubelet.Util;
using Berth.UnitTests.Server;

namespace Berth.UnitTests.Kubelet.Util;

public sealed class SmallStateFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string File1 => Path.Combine(_dir.Path, "state.json");

    [Fact]
    public void Write_NoFile_CreatesItOwnerOnly()
    {
        SmallStateFile.Write(File1, "{\"a\":1}"u8);

        Assert.Equal("{\"a\":1}", File.ReadAllText(File1));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, TempDirectory.ModeOf(File1));
    }

    [Fact]
    public void Write_ShorterContent_OverwrittenInPlacePaddedWithSpaces()
    {
        SmallStateFile.Write(File1, "{\"a\":\"long value\"}"u8);
        using var earlier = File.OpenRead(File1);

        SmallStateFile.Write(File1, "{\"a\":2}"u8);

        Assert.Equal("{\"a\":2}" + new string(' ', 11), File.ReadAllText(File1));
        Assert.Equal("{\"a\":2}" + new string(' ', 11), ReadFromStart(earlier)); // same inode: no rename
        Assert.False(File.Exists(File1 + ".tmp"));
    }

    [Fact]
    public void Write_LongerContent_OverwrittenInPlace()
    {
        SmallStateFile.Write(File1, "{}"u8);
        using var earlier = File.OpenRead(File1);

        SmallStateFile.Write(File1, "{\"b\":[1,2,3]}"u8);

        Assert.Equal("{\"b\":[1,2,3]}", ReadFromStart(earlier));
    }

    [Fact]
    public void Write_ContentLargerThanPage_ReplacedByRename()
    {
        SmallStateFile.Write(File1, "{}"u8);
        using var earlier = File.OpenRead(File1);
        var large = "{\"x\":\"" + new string('x', SmallStateFile.InPlaceLimit) + "\"}";

        SmallStateFile.Write(File1, Encoding.UTF8.GetBytes(large));

        Assert.Equal(large, File.ReadAllText(File1));
        Assert.Equal("{}", ReadFromStart(earlier)); // the old inode kept the old content
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, TempDirectory.ModeOf(File1));
    }

    [Fact]
    public void Write_SmallAfterLarge_ReplacedByRenameWithoutPadding()
    {
        SmallStateFile.Write(File1, Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', SmallStateFile.InPlaceLimit) + "\"}"));

        SmallStateFile.Write(File1, "{}"u8);

        Assert.Equal("{}", File.ReadAllText(File1));
        Assert.False(File.Exists(File1 + ".tmp"));
    }

    private static string ReadFromStart(FileStream stream)
    {
        stream.Position = 0;
        using var reader = new StreamReader(stream, leaveOpen: true);
        return reader.ReadToEnd();
    }
}
