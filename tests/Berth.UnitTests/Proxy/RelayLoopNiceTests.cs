using Berth.Proxy.Forwarding.Linux;

namespace Berth.UnitTests.Proxy;

public sealed class RelayLoopNiceTests
{
    [Fact]
    public void SetCurrentThreadNice_OnOneThread_ChangesThatThreadOnly()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        int? before = null;
        int? after = null;
        var ok = false;
        var thread = new Thread(() =>
        {
            before = CurrentThreadNice();
            ok = LoopPriority.SetCurrentThreadNice(before.Value + 3);
            after = CurrentThreadNice();
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(10)));

        Assert.True(ok);
        Assert.Equal(before + 3, after);
        Assert.Equal(before, CurrentThreadNice());
    }

    /// <summary>Field 19 of /proc/thread-self/stat (the fields after the parenthesised command name start at 3).</summary>
    private static int CurrentThreadNice()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
