using Berth.Machinery.Kinds;
using static Berth.UnitTests.ApiServer.Tables.PrinterFixture;

namespace Berth.UnitTests.ApiServer.Tables;

/// <summary>Endpoints and EndpointSlices.</summary>
public sealed class EndpointsPrinterTests
{
    private static object? Endpoints(string subsets) =>
        Cell(KindRegistry.Endpoints, $$"""{"metadata":{"name":"web"},"subsets":{{subsets}} }""", "Endpoints");

    [Fact]
    public void Endpoints_NoSubsets_IsNone()
    {
        Assert.Equal("<none>", Endpoints("[]"));
        Assert.Equal("<none>", Cell(KindRegistry.Endpoints, """{"metadata":{"name":"web"}}""", "Endpoints"));
    }

    [Fact]
    public void Endpoints_AddressesTimesPorts_ShowsFirstThreeThenMore() =>
        Assert.Equal("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...",
            Endpoints("""[{"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"notReadyAddresses":[{"ip":"10.0.0.3"}],"ports":[{"name":"http","port":80},{"name":"https","port":443}]}]"""));

    [Fact]
    public void Endpoints_HeadlessWithoutPorts_ListsIPs() =>
        Assert.Equal("10.0.0.1,fd00::1", Endpoints("""[{"addresses":[{"ip":"10.0.0.1"},{"ip":"fd00::1"}]}]"""));

    [Fact]
    public void Endpoints_IPv6WithPort_IsBracketed() =>
        Assert.Equal("[fd00::1]:8080", Endpoints("""[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":8080}]}]"""));

    [Fact]
    public void Endpoints_OnlyNotReadyAddresses_IsEmpty() =>
        Assert.Equal("", Endpoints("""[{"notReadyAddresses":[{"ip":"10.0.0.3"}],"ports":[{"port":80}]}]"""));

    [Fact]
    public void EndpointSlice_PrintsPortsAndAddresses() =>
        Assert.Equal(["web-abc12", "IPv4", "80,metrics,*", "10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...", "5m"],
            Cells(KindRegistry.EndpointSlices, """
                {"metadata":{"name":"web-abc12","creationTimestamp":"ago:300"},"addressType":"IPv4",
                 "ports":[{"name":"http","port":80,"protocol":"TCP"},{"name":"metrics"},{}],
                 "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2","10.0.0.3"]},{"addresses":["10.0.0.4"]},{"addresses":["10.0.0.5"],"conditions":{"ready":false}}]}
                """));

    [Fact]
    public void EndpointSlice_Empty_IsUnset() =>
        Assert.Equal(["s", "IPv6", "<unset>", "<unset>", "<unknown>"],
            Cells(KindRegistry.EndpointSlices, """{"metadata":{"name":"s"},"addressType":"IPv6","ports":[],"endpoints":[]}"""));

    [Fact]
    public void EndpointSlice_FourPorts_ShowsMore() =>
        Assert.Equal("1,2,3 + 1 more...",
            Cell(KindRegistry.EndpointSlices, """{"ports":[{"port":1},{"port":2},{"port":3},{"port":4}]}""", "Ports"));
}
