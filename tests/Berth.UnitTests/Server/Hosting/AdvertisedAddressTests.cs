using Berth.Server.Hosting;
using Berth.Server.Options;

namespace Berth.UnitTests.Server.Hosting;

public sealed class AdvertisedAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", 6443, "https://127.0.0.1:6443/")]
    [InlineData("0.0.0.0", 6443, "https://127.0.0.1:6443/")]
    [InlineData("localhost", 1234, "https://127.0.0.1:1234/")]
    [InlineData("::", 6443, "https://[::1]:6443/")]
    [InlineData("::1", 6443, "https://[::1]:6443/")]
    [InlineData("10.1.2.3", 443, "https://10.1.2.3/")]
    public void AdvertisedAddress_UsesBindOrLoopback(string bind, int port, string expected)
    {
        var uri = BerthServer.AdvertisedAddress(new ServerOptions { BindAddress = bind }, port);
        Assert.Equal(expected, uri.ToString());
    }
}
