using System.Text;
using Berth.Kubelet.Runtime.ProcessRuntime.Logs;

namespace Berth.UnitTests.Kubelet.Runtime;

public sealed class RotatingLogFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-rot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WriteEntry_PastMaxSize_ShiftsFilesAndDropsOldest()
    {
        var path = Path.Combine(_dir, "0.log");
        using (var file = new RotatingLogFile(path, 1024, 3))
        {
            for (var i = 0; i < 10; i++)
            {
                file.WriteEntry(Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture) + new string('x', 499) + "\n"));
            }
        }

        Assert.Equal([path + ".2", path + ".1", path], RotatingLogFile.FilesOldestFirst(path, 3));
        Assert.False(File.Exists(path + ".3"));
        // 501-byte entries, two per 1 KiB file: the live file holds 8 and 9, .1 holds 6 and 7, .2 holds 4 and 5.
        Assert.StartsWith("8", File.ReadAllText(path));
        Assert.StartsWith("6", File.ReadAllText(path + ".1"));
        Assert.StartsWith("4", File.ReadAllText(path + ".2"));
    }

    [Fact]
    public void Constructor_ExistingFile_AppendsAndCountsItsSize()
    {
        var path = Path.Combine(_dir, "0.log");
        File.WriteAllText(path, new string('a', 1000));
        using (var file = new RotatingLogFile(path, 1024, 2))
        {
            file.WriteEntry("0123456789012345678901234567890\n"u8);
        }

        Assert.Equal(32, new FileInfo(path).Length);
        Assert.Equal(1000, new FileInfo(path + ".1").Length);
    }

    [Fact]
    public void WriteEntry_SingleFileAllowed_TruncatesByRecreating()
    {
        var path = Path.Combine(_dir, "0.log");
        using (var file = new RotatingLogFile(path, 1024, 1))
        {
            file.WriteEntry(Encoding.ASCII.GetBytes(new string('a', 1000)));
            file.WriteEntry(Encoding.ASCII.GetBytes(new string('b', 100)));
        }

        Assert.Equal(new string('b', 100), File.ReadAllText(path));
        Assert.Equal([path], RotatingLogFile.FilesOldestFirst(path, 1));
    }
}
