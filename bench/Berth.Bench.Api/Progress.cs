namespace Berth.Bench.Api;

/// <summary>Progress lines on stderr (stdout carries only the markdown report).</summary>
internal static class Progress
{
    public static void Say(string message) =>
        Console.Error.WriteLine($"[bench {TimeProvider.System.GetLocalNow():HH:mm:ss}] {message}");
}
