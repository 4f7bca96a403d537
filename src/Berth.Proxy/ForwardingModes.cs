namespace Berth.Proxy;

/// <summary>Parsing of the forwarding engine's name, for the <c>BERTH_PROXY_FORWARDING</c> override.</summary>
public static class ForwardingModes
{
    /// <summary>The environment variable that overrides <see cref="ProxyOptions.Forwarding"/>'s default.</summary>
    public const string EnvironmentVariable = "BERTH_PROXY_FORWARDING";

    /// <summary>The engine named by <see cref="EnvironmentVariable"/>, or <paramref name="fallback"/> when it is unset or names none.</summary>
    public static ForwardingMode FromEnvironment(ForwardingMode fallback) =>
        TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), out var mode) ? mode : fallback;

    /// <summary>Accepts <c>async</c> and <c>event-loop</c> (also <c>eventloop</c>), case-insensitive.</summary>
    public static bool TryParse(string? name, out ForwardingMode mode)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "async":
                mode = ForwardingMode.Async;
                return true;
            case "event-loop" or "eventloop":
                mode = ForwardingMode.EventLoop;
                return true;
            default:
                mode = default;
                return false;
        }
    }
}
