using Berth.Proxy.Model;

namespace Berth.Proxy.Listening;

/// <summary>
/// One bound socket of one service port (<see cref="PortListener"/> for TCP, <see cref="DatagramListener"/> for UDP).
/// Disposing it stops taking new clients and closes the socket; what happens to clients already served is the
/// listener's contract.
/// </summary>
public interface IServiceListener : IAsyncDisposable
{
    /// <summary>The service port whose clients this listener serves.</summary>
    ServicePortName Owner { get; }
}
