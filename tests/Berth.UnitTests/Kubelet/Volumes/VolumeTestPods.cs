using System.Text;
using System.Text.Json.Nodes;
using Berth.Kubelet.Volumes;
using Berth.Machinery.Kinds;
using Berth.Testing.Fakes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Berth.UnitTests.Kubelet.Volumes;

/// <summary>Pods, ConfigMaps and Secrets for the volume tests, and a <see cref="VolumeManager"/> over a temp pods dir.</summary>
internal static class VolumeTestPods
{
    public const string Uid = "0f3c6c1e-5a45-4c57-9d3d-2b9d7f0c1a11";

    public static VolumeManager Manager(string podsDirectory, FakeApiClient api) =>
        new(api, new VolumeManagerOptions
        {
            PodsDirectory = podsDirectory,
            NodeAllocatableCpu = 4,
            NodeAllocatableMemory = 8L * 1024 * 1024 * 1024,
            NodeAllocatableEphemeralStorage = 100L * 1000 * 1000 * 1000,
        }, new FakeTimeProvider(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)), NullLogger<VolumeManager>.Instance);

    /// <summary>A pod with one container <c>app</c> mounting every volume at /mnt/&lt;name&gt;.</summary>
    public static V1Pod Pod(params V1Volume[] volumes) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "web", NamespaceProperty = "default", Uid = Uid,
            Labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fr\"ont" },
            Annotations = new Dictionary<string, string> { ["note"] = "hello" },
        },
        Spec = new V1PodSpec
        {
            NodeName = "node-a",
            Volumes = volumes,
            Containers =
            [
                new V1Container
                {
                    Name = "app",
                    Image = "busybox",
                    VolumeMounts = [.. volumes.Select(v => new V1VolumeMount { Name = v.Name, MountPath = "/mnt/" + v.Name })],
                },
            ],
        },
    };

    public static void SeedConfigMap(FakeApiClient api, string name, IDictionary<string, string> data, IDictionary<string, byte[]>? binary = null)
    {
        var obj = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["data"] = new JsonObject(data.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
        if (binary is not null)
        {
            obj["binaryData"] = new JsonObject(binary.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert.ToBase64String(p.Value))));
        }
        api.Seed(KindRegistry.ConfigMaps, obj);
    }

    public static void SeedSecret(FakeApiClient api, string name, IDictionary<string, string> data) =>
        api.Seed(KindRegistry.Secrets, new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["data"] = new JsonObject(data.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))))),
        });

    public static int Mode(string path) => (int)Server.TempDirectory.ModeOf(path);

    public static int Octal(string digits) => Convert.ToInt32(digits, 8);
}
