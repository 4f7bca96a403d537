using System.Text;
using Berth.ApiServer.Tables;

namespace Berth.UnitTests.ApiServer.Tables;

public sealed class JsonRangesTests
{
    [Theory]
    [InlineData("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","labels":{"x":"y"}},"spec":{}}""", """{"name":"a","labels":{"x":"y"}}""")]
    [InlineData("""{"spec":{"metadata":{"inner":1}},"metadata":{}}""", "{}")]
    [InlineData("""{"metadata":{"name":"a"}}""", """{"name":"a"}""")]
    public void TopLevelObject_MemberIsAnObject_ReturnsItsBytes(string json, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var (start, length) = JsonRanges.TopLevelObject(bytes, "metadata"u8);

        Assert.Equal(expected, Encoding.UTF8.GetString(bytes, start, length));
    }

    [Theory]
    [InlineData("""{"spec":{"metadata":{"inner":1}}}""")]
    [InlineData("""{"metadata":7}""")]
    [InlineData("""{"metadata":null}""")]
    [InlineData("""[{"metadata":{}}]""")]
    [InlineData("{}")]
    public void TopLevelObject_NoObjectMember_ReturnsMinusOne(string json)
    {
        Assert.Equal((-1, 0), JsonRanges.TopLevelObject(Encoding.UTF8.GetBytes(json), "metadata"u8));
    }
}
