namespace Berth.Server.Hosting;

/// <summary>How a server is hosted.</summary>
internal enum HostingMode
{
    /// <summary><c>berth server</c>: ConsoleLifetime (SIGTERM, SIGINT, SIGQUIT stop the host), informational logs, banner on stdout.</summary>
    Console,

    /// <summary>Inside another process (tests): no signal handlers, warnings-only logs, no banner.</summary>
    Embedded,
}
