using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using k8s;
using k8s.Models;

namespace Berth.UnitTests.Machinery.Serialization;

// ApiJson must convert exactly as KubernetesJson's public Serialize/Deserialize do: the kubelet compares and patches
// statuses, and informers hand out models, on the strength of that.
public sealed class ApiJsonTests
{
    [Fact]
    public void FromModel_Pod_SameJsonAsKubernetesJson()
    {
        var pod = Pod();

        var json = ApiJson.FromModel(pod);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(KubernetesJson.Serialize(pod)), json), json.ToJsonString());
        Assert.Equal("250m", json["spec"]!["containers"]![0]!["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal("http", json["spec"]!["containers"]![0]!["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
        Assert.Equal("2026-11-29T07:00:00Z", json["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void FromModel_DeclaredAsObject_SerialisesRuntimeType()
    {
        object pod = Pod();

        Assert.Equal("web", ApiJson.FromModel(pod)["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ToModel_PodJson_SameModelAsKubernetesJson()
    {
        var json = ApiJson.FromModel(Pod());

        var model = ApiJson.ToModel<V1Pod>(json);

        Assert.Equal(KubernetesJson.Serialize(KubernetesJson.Deserialize<V1Pod>(json.ToJsonString())), KubernetesJson.Serialize(model));
        Assert.Equal(new DateTime(2026, 11, 29, 7, 0, 0, DateTimeKind.Utc), model.Metadata.CreationTimestamp);
    }

    [Fact]
    public void DeepCopy_Status_EqualAndIndependent()
    {
        var status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] };

        var copy = ApiJson.DeepCopy(status);
        copy.Conditions[0].Status = "False";

        Assert.Equal("True", status.Conditions[0].Status);
        Assert.Equal("Running", copy.Phase);
    }

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "default", CreationTimestamp = new DateTime(2026, 11, 29, 7, 0, 0, DateTimeKind.Utc) },
        Spec = new V1PodSpec
        {
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "busybox",
                    Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("250m") } },
                    ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Port = "http", Path = "/" } },
                },
            ],
        },
    };
}
