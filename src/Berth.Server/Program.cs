namespace Berth.Server;

/// <summary>Entry point of the <c>berth</c> executable. The composition root is built here.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: berth server [--data-dir DIR] [--port N] [--bind ADDR]");
        return args.Length == 0 ? 1 : 0;
    }
}
