namespace Berth.Proxy.Forwarding.Linux;

/// <summary>What each <see cref="RelayLoop"/> of an <see cref="EventLoopForwarder"/> is built with, taken from <see cref="ProxyOptions"/>.</summary>
/// <param name="BufferSize">The loop's shared read buffer (<see cref="ProxyOptions.BufferSize"/>).</param>
/// <param name="Nice">The loop thread's nice value; 0 leaves it alone (<see cref="ProxyOptions.RelayLoopNice"/>).</param>
/// <param name="BusyPoll">How long the loop polls without sleeping after a wake-up with work (<see cref="ProxyOptions.RelayBusyPoll"/>).</param>
public readonly record struct RelayLoopSettings(int BufferSize, int Nice, TimeSpan BusyPoll)
{
    public static RelayLoopSettings From(ProxyOptions options) => new(options.BufferSize, options.RelayLoopNice, options.RelayBusyPoll);
}
