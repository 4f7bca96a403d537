using System.Text;
using System.Text.Json.Nodes;
using Berth.ApiServer.Http.Protobuf;
using Berth.Machinery.Errors;
using static Berth.UnitTests.ApiServer.Protobuf.ProtoBuilder;

namespace Berth.UnitTests.ApiServer.Protobuf;

/// <summary>Kubernetes protobuf bodies decoded into the JSON Go would produce for the same object.</summary>
public sealed class ProtobufBodyDecoderTests
{
    private static JsonObject Decode(byte[] body) => ProtobufBodyDecoder.Decode(body);

    /// <summary>ObjectMeta as gogo writes it: every non-pointer string present even when empty, an empty creationTimestamp.</summary>
    private static ProtoBuilder ObjectMeta(string name) => Meta("ObjectMeta")
        .Str("name", name).Str("generateName", "").Str("namespace", "").Str("selfLink", "").Str("uid", "").Str("resourceVersion", "")
        .Int("generation", 0).Msg("creationTimestamp", Meta("Time"));

    [Fact]
    public void Decode_Namespace_TakesApiVersionAndKindFromEnvelopeAndOmitsEmptyMeta()
    {
        var body = Core("Namespace").Msg("metadata", ObjectMeta("team-a")).Msg("spec", Core("NamespaceSpec")).Msg("status", Core("NamespaceStatus").Str("phase", ""))
            .Envelope("v1", "Namespace");
        var ns = Decode(body);
        Assert.Equal("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"},"spec":{},"status":{}}""", ns.ToJsonString());
    }

    [Fact]
    public void Decode_DeploymentReplicasZero_IsKeptBecauseTheGoFieldIsAPointer()
    {
        var spec = For("k8s.io.api.apps.v1.DeploymentSpec").Int("replicas", 0).Int("minReadySeconds", 0).Bool("paused", false);
        var deployment = Decode(For("k8s.io.api.apps.v1.Deployment").Msg("metadata", ObjectMeta("web")).Msg("spec", spec).Envelope("apps/v1", "Deployment"));
        Assert.Equal("""{"replicas":0}""", deployment["spec"]!.ToJsonString());
        Assert.Equal("apps/v1", (string?)deployment["apiVersion"]);
    }

    [Fact]
    public void Decode_PointerBoolFalse_IsKeptAndNonPointerFalseIsOmitted()
    {
        var sa = Decode(Core("ServiceAccount").Msg("metadata", ObjectMeta("sa")).Bool("automountServiceAccountToken", false).Envelope("v1", "ServiceAccount"));
        Assert.False((bool)sa["automountServiceAccountToken"]!);
        var container = Decode(Core("Pod").Msg("spec", Core("PodSpec").Msg("containers", Core("Container").Str("name", "c").Bool("stdin", false)))
            .Envelope("v1", "Pod"))["spec"]!["containers"]![0]!;
        Assert.Equal("""{"name":"c"}""", container.ToJsonString());
    }

    [Fact]
    public void Decode_NoOmitemptyScalar_KeepsZero()
    {
        var port = Decode(Core("Pod").Msg("spec", Core("PodSpec").Msg("containers", Core("Container").Str("name", "")
            .Msg("ports", Core("ContainerPort").Str("name", "").Int("hostPort", 0).Int("containerPort", 0)))).Envelope("v1", "Pod"))["spec"]!["containers"]![0]!;
        Assert.Equal("""{"name":"","ports":[{"containerPort":0}]}""", port.ToJsonString());
    }

    [Fact]
    public void Decode_Time_IsRfc3339SecondsAndIgnoresNanos()
    {
        var meta = ObjectMeta("x").Msg("deletionTimestamp", Meta("Time").Int("seconds", 1_700_000_000).Int("nanos", 5));
        var ns = Decode(Core("Namespace").Msg("metadata", meta).Envelope("v1", "Namespace"));
        Assert.Equal("2023-11-14T22:13:20Z", (string?)ns["metadata"]!["deletionTimestamp"]);
        Assert.False(ns["metadata"]!.AsObject().ContainsKey("creationTimestamp"));
    }

    [Fact]
    public void Decode_MicroTime_HasSixFractionDigits()
    {
        var spec = For("k8s.io.api.coordination.v1.LeaseSpec").Msg("renewTime", Meta("MicroTime").Int("seconds", 1_700_000_000).Int("nanos", 123_456_789))
            .Int("leaseDurationSeconds", 0);
        var lease = Decode(For("k8s.io.api.coordination.v1.Lease").Msg("spec", spec).Envelope("coordination.k8s.io/v1", "Lease"));
        Assert.Equal("""{"renewTime":"2023-11-14T22:13:20.123456Z","leaseDurationSeconds":0}""", lease["spec"]!.ToJsonString());
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(2_000_000L, "2ms")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(3_723_500_000_000L, "1h2m3.5s")]
    [InlineData(-1_000_000_000L, "-1s")]
    public void Convert_Duration_FormatsLikeGo(long nanoseconds, string expected)
    {
        var bytes = Meta("Duration").Int("duration", nanoseconds).ToByteString();
        var json = ProtobufSpecialTypes.Convert("k8s.io.apimachinery.pkg.apis.meta.v1.Duration", bytes, _ => null);
        Assert.Equal(expected, (string?)json);
    }

    [Fact]
    public void Decode_IntOrString_IsNumberOrString()
    {
        var intPort = Core("ServicePort").Str("protocol", "TCP").Int("port", 80)
            .Msg("targetPort", For("k8s.io.apimachinery.pkg.util.intstr.IntOrString").Int("type", 0).Int("intVal", 8080).Str("strVal", ""));
        var namedPort = Core("ServicePort").Int("port", 81)
            .Msg("targetPort", For("k8s.io.apimachinery.pkg.util.intstr.IntOrString").Int("type", 1).Int("intVal", 0).Str("strVal", "http"));
        var svc = Decode(Core("Service").Msg("spec", Core("ServiceSpec").Msg("ports", intPort).Msg("ports", namedPort)).Envelope("v1", "Service"));
        Assert.Equal("""[{"protocol":"TCP","port":80,"targetPort":8080},{"port":81,"targetPort":"http"}]""", svc["spec"]!["ports"]!.ToJsonString());
    }

    [Fact]
    public void Decode_PdbMinAvailableZero_IsEmittedAsZero()
    {
        var spec = For("k8s.io.api.policy.v1.PodDisruptionBudgetSpec")
            .Msg("minAvailable", For("k8s.io.apimachinery.pkg.util.intstr.IntOrString").Int("type", 0).Int("intVal", 0).Str("strVal", ""))
            .Msg("selector", Meta("LabelSelector").Entry("matchLabels", "app", "web"));
        var pdb = Decode(For("k8s.io.api.policy.v1.PodDisruptionBudget").Msg("spec", spec).Envelope("policy/v1", "PodDisruptionBudget"));
        Assert.Equal("""{"minAvailable":0,"selector":{"matchLabels":{"app":"web"}}}""", pdb["spec"]!.ToJsonString());
    }

    [Fact]
    public void Decode_QuantityMap_IsObjectOfStrings()
    {
        var resources = Core("ResourceRequirements")
            .Entry("limits", "cpu", q => q.Msg("value", For("k8s.io.apimachinery.pkg.api.resource.Quantity").Str("string", "500m")))
            .Entry("limits", "memory", q => q.Msg("value", For("k8s.io.apimachinery.pkg.api.resource.Quantity").Str("string", "64Mi")));
        var pod = Decode(Core("Pod").Msg("spec", Core("PodSpec").Msg("containers", Core("Container").Str("name", "c").Msg("resources", resources)))
            .Envelope("v1", "Pod"));
        Assert.Equal("""{"limits":{"cpu":"500m","memory":"64Mi"}}""", pod["spec"]!["containers"]![0]!["resources"]!.ToJsonString());
    }

    [Fact]
    public void Decode_SecretData_IsBase64AndStringDataStaysText()
    {
        var secret = Decode(Core("Secret").Msg("metadata", ObjectMeta("s"))
            .Entry("data", "password", e => e.Bytes("value", Encoding.UTF8.GetBytes("s3cr3t")))
            .Entry("data", "empty", e => e.Bytes("value", []))
            .Entry("stringData", "plain", "text").Str("type", "Opaque").Envelope("v1", "Secret"));
        Assert.Equal("czNjcjN0", (string?)secret["data"]!["password"]);
        Assert.Equal("", (string?)secret["data"]!["empty"]);
        Assert.Equal("text", (string?)secret["stringData"]!["plain"]);
        Assert.Equal("Opaque", (string?)secret["type"]);
    }

    [Fact]
    public void Decode_StringMap_KeepsEmptyValuesAndMissingValueIsEmpty()
    {
        var cm = Decode(Core("ConfigMap").Msg("metadata", ObjectMeta("c")).Entry("data", "a", "1").Entry("data", "b", "")
            .Entry("data", "c", _ => { }).Envelope("v1", "ConfigMap"));
        Assert.Equal("""{"a":"1","b":"","c":""}""", cm["data"]!.ToJsonString());
    }

    [Fact]
    public void Decode_RepeatedStringsAndMessages_AreArraysInWireOrder()
    {
        var container = Core("Container").Str("name", "app").Str("image", "busybox").Str("command", "sleep").Str("command", "3600");
        var pod = Decode(Core("Pod").Msg("spec", Core("PodSpec").Msg("containers", container).Msg("containers", Core("Container").Str("name", "b")))
            .Envelope("v1", "Pod"));
        Assert.Equal("""[{"name":"app","image":"busybox","command":["sleep","3600"]},{"name":"b"}]""", pod["spec"]!["containers"]!.ToJsonString());
    }

    [Fact]
    public void Decode_EmbeddedStructs_AreInlined()
    {
        var volume = Core("Volume").Str("name", "scratch").Msg("volumeSource", Core("VolumeSource").Msg("emptyDir", Core("EmptyDirVolumeSource")));
        var probe = Core("Probe").Msg("handler", Core("ProbeHandler").Msg("exec", Core("ExecAction").Str("command", "true"))).Int("periodSeconds", 5);
        var spec = Core("PodSpec").Msg("volumes", volume).Msg("containers", Core("Container").Str("name", "c").Msg("livenessProbe", probe));
        var pod = Decode(Core("Pod").Msg("spec", spec).Envelope("v1", "Pod"));
        Assert.Equal("""[{"name":"scratch","emptyDir":{}}]""", pod["spec"]!["volumes"]!.ToJsonString());
        Assert.Equal("""{"exec":{"command":["true"]},"periodSeconds":5}""", pod["spec"]!["containers"]![0]!["livenessProbe"]!.ToJsonString());
    }

    [Fact]
    public void Decode_RawExtension_EmbedsJson()
    {
        var revision = For("k8s.io.api.apps.v1.ControllerRevision").Msg("metadata", ObjectMeta("r1"))
            .Msg("data", For("k8s.io.apimachinery.pkg.runtime.RawExtension").Bytes("raw", """{"spec":{"x":1}}"""u8.ToArray())).Int("revision", 3);
        var decoded = Decode(revision.Envelope("apps/v1", "ControllerRevision"));
        Assert.Equal("""{"spec":{"x":1}}""", decoded["data"]!.ToJsonString());
        Assert.Equal(3, (long)decoded["revision"]!);
    }

    [Fact]
    public void Decode_UnknownFieldNumbers_AreSkipped()
    {
        // Field 999 (varint) and field 998 (length-delimited) do not exist in ConfigMap.
        var cm = Decode(Core("ConfigMap").Msg("metadata", ObjectMeta("c")).Raw(0xB8, 0x3E, 0x01).Raw(0xB2, 0x3E, 0x02, 0x61, 0x62)
            .Entry("data", "k", "v").Envelope("v1", "ConfigMap"));
        Assert.Equal("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"k":"v"}}""", cm.ToJsonString());
    }

    [Fact]
    public void Decode_DeleteOptions_FallsBackToMetaV1()
    {
        var options = Decode(Meta("DeleteOptions").Int("gracePeriodSeconds", 0).Str("propagationPolicy", "Foreground").Envelope("v1", "DeleteOptions"));
        Assert.Equal("""{"apiVersion":"v1","kind":"DeleteOptions","gracePeriodSeconds":0,"propagationPolicy":"Foreground"}""", options.ToJsonString());
    }
}
