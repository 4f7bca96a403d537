using Berth.ApiServer.Discovery;

namespace Berth.UnitTests.ApiServer.Discovery;

public sealed class DiscoveryNegotiationTests
{
    private const string Kubectl132 =
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    private const string Kubectl128 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

    [Fact]
    public void Negotiate_KubectlV2First_ChoosesV2()
    {
        Assert.Equal(DiscoveryFormat.AggregatedV2, DiscoveryNegotiation.Negotiate(Kubectl132));
    }

    [Fact]
    public void Negotiate_OnlyV2Beta1Offered_ChoosesV2Beta1()
    {
        Assert.Equal(DiscoveryFormat.AggregatedV2Beta1, DiscoveryNegotiation.Negotiate(Kubectl128));
    }

    [Fact]
    public void Negotiate_V2Beta1BeforeV2_HonoursClientOrder()
    {
        var accept = "application/json;as=APIGroupDiscoveryList;v=v2beta1;g=apidiscovery.k8s.io, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
        Assert.Equal(DiscoveryFormat.AggregatedV2Beta1, DiscoveryNegotiation.Negotiate(accept));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json, */*")]
    [InlineData("application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")]
    [InlineData("application/vnd.kubernetes.protobuf,application/json")]
    [InlineData("*/*")]
    [InlineData("")]
    [InlineData(null)]
    public void Negotiate_PlainJsonFirst_ChoosesLegacy(string? accept)
    {
        Assert.Equal(DiscoveryFormat.Legacy, DiscoveryNegotiation.Negotiate(accept));
    }

    [Theory]
    [InlineData("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList")]
    [InlineData("application/json;g=other.io;v=v2;as=APIGroupDiscoveryList")]
    [InlineData("application/vnd.kubernetes.protobuf")]
    [InlineData("text/html")]
    [InlineData("application/json;q=0")]
    public void Negotiate_NothingServable_IsNotAcceptable(string accept)
    {
        Assert.Equal(DiscoveryFormat.NotAcceptable, DiscoveryNegotiation.Negotiate(accept));
    }

    [Fact]
    public void Negotiate_UnknownAggregatedVersionThenV2Beta1_SkipsToV2Beta1()
    {
        var accept = "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
        Assert.Equal(DiscoveryFormat.AggregatedV2Beta1, DiscoveryNegotiation.Negotiate(accept));
    }

    [Theory]
    [InlineData(DiscoveryFormat.AggregatedV2, "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")]
    [InlineData(DiscoveryFormat.AggregatedV2Beta1, "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList")]
    [InlineData(DiscoveryFormat.Legacy, "application/json")]
    public void ContentType_EchoesNegotiatedVersion(DiscoveryFormat format, string expected)
    {
        Assert.Equal(expected, DiscoveryNegotiation.ContentType(format));
    }
}
