using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;

namespace Berth.UnitTests.Registry.Generic;

/// <summary>A pod-like strategy for registry tests: graceful deletion by upstream's pod rules, containers required.</summary>
internal sealed class TestPodStrategy() : ResourceStrategy(KindRegistry.Pods)
{
    public override bool TracksGeneration => true;

    public override void Default(JsonObject obj)
    {
        if (obj.GetLong("spec", "terminationGracePeriodSeconds") is null && obj["spec"] is JsonObject)
        {
            obj.SetPath(JsonValue.Create(30L), "spec", "terminationGracePeriodSeconds");
        }
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj) =>
        obj.GetArray("spec", "containers") is { Count: > 0 } ? [] : [FieldError.Required("spec.containers")];

    public override long? CheckGracefulDelete(JsonObject obj, long? requestedGracePeriodSeconds)
    {
        var period = requestedGracePeriodSeconds ?? obj.GetLong("spec", "terminationGracePeriodSeconds") ?? 0;
        if (string.IsNullOrEmpty(obj.GetString("spec", "nodeName")) || obj.GetString("status", "phase") is "Failed" or "Succeeded")
        {
            period = 0;
        }
        return period < 0 ? 1 : period;
    }

    public override string? GetSelectableField(JsonObject obj, string field) => field switch
    {
        "spec.nodeName" => obj.GetString("spec", "nodeName") ?? "",
        "status.phase" => obj.GetString("status", "phase") ?? "",
        _ => base.GetSelectableField(obj, field),
    };
}

/// <summary>A deployment-like strategy: generation tracking, status subresource.</summary>
internal sealed class TestDeploymentStrategy() : ResourceStrategy(KindRegistry.Deployments)
{
    public override bool TracksGeneration => true;
}
