using Berth.ApiServer.Http.Protobuf;
using Berth.Machinery.Errors;
using Berth.Machinery.Serialization;

namespace Berth.UnitTests.ApiServer.Protobuf;

public sealed class TokenRequestProtobufTests
{
    /// <summary>The body kubectl 1.32 sends for <c>create token default --duration 20m --audience aud1 --audience aud2 --bound-object-kind Pod --bound-object-name podx --bound-object-uid uidy</c>.</summary>
    private static readonly byte[] KubectlBody = Convert.FromHexString(
        "6b3873000a280a1861757468656e7469636174696f6e2e6b38732e696f2f7631120c546f6b656e5265717565737412400a100a0012001a00" +
        "22002a0032003800420012260a04617564310a04617564321a150a03506f64120276311a04706f6478220475696479" +
        "20b0091a040a0012001a002200");

    [Fact]
    public void Decode_KubectlCreateTokenBody_ReadsSpec()
    {
        var obj = ProtobufBodyDecoder.Decode(KubectlBody);
        Assert.Equal("TokenRequest", obj.GetString("kind"));
        Assert.Equal("authentication.k8s.io/v1", obj.GetString("apiVersion"));
        Assert.Equal(1200, obj.GetLong("spec", "expirationSeconds"));
        Assert.Equal(["aud1", "aud2"], obj.GetArray("spec", "audiences")!.Select(a => (string)a!).ToArray());
        Assert.Equal("Pod", obj.GetString("spec", "boundObjectRef", "kind"));
        Assert.Equal("v1", obj.GetString("spec", "boundObjectRef", "apiVersion"));
        Assert.Equal("podx", obj.GetString("spec", "boundObjectRef", "name"));
        Assert.Equal("uidy", obj.GetString("spec", "boundObjectRef", "uid"));
        Assert.Null(obj.GetString("metadata", "name"));
    }

    [Fact]
    public void Decode_TruncatedTokenRequest_BadRequest()
    {
        var e = Assert.Throws<ApiException>(() => ProtobufBodyDecoder.Decode(KubectlBody.AsMemory(0, KubectlBody.Length - 30)));
        Assert.Equal(400, e.Code);
    }
}
