using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Core.Services.Allocation;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.Services;

/// <summary>
/// Services: DNS-1035 names, an empty load-balancer status on create, defaults, validation, and on update the
/// allocated values (cluster IPs, node ports) carried over when the client omits them, and type-dependent fields
/// dropped on a type change. With a <see cref="ServiceAllocator"/> it also allocates and releases cluster IPs and
/// node ports through the store hooks; without one (unit tests of other kinds) Services get none.
/// Thread-safe. Mirrors kubernetes/kubernetes pkg/registry/core/service/strategy.go and the beginCreate,
/// beginUpdate, afterDelete and patchAllocatedValues steps of pkg/registry/core/service/storage/storage.go.
/// </summary>
internal sealed class ServiceStrategy(ServiceAllocator? allocator = null) : ResourceStrategy(KindRegistry.Services), IStoreHooks
{
    private protected override NameValidator NameValidator => NameValidation.NameIsDns1035Label;

    public override void PrepareForCreate(JsonObject obj)
    {
        obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
    }

    public override void PrepareForUpdate(JsonObject newObj, JsonObject oldObj)
    {
        base.PrepareForUpdate(newObj, oldObj);
        if (newObj["spec"] is JsonObject spec && oldObj["spec"] is JsonObject oldSpec)
        {
            PatchAllocatedValues(spec, oldSpec);
            ServiceTypeFields.DropTypeDependentFields(spec, oldSpec);
        }
    }

    public Task EnsureInitializedAsync(Func<CancellationToken, Task<IReadOnlyList<JsonObject>>> listStored, CancellationToken cancellationToken) =>
        allocator?.EnsureInitializedAsync(listStored, cancellationToken) ?? Task.CompletedTask;

    public FinishFunc BeginCreate(JsonObject obj, bool dryRun) =>
        allocator is null ? static _ => { } : allocator.AllocateCreate(obj, dryRun).Finish;

    public FinishFunc BeginUpdate(JsonObject newObj, JsonObject oldObj, bool dryRun) =>
        allocator is null ? static _ => { } : allocator.AllocateUpdate(newObj, oldObj, dryRun).Finish;

    public void AfterDelete(JsonObject obj) => allocator?.ReleaseForDelete(obj);

    public override void Default(JsonObject obj) => ServiceDefaults.Apply(JsonFields.Child(obj, "spec"));

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        ServiceValidation.Validate(obj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        ServiceValidation.ValidateUpdate(newObj["spec"] as JsonObject ?? [], oldObj["spec"] as JsonObject ?? [], errs);
        return errs;
    }

    /// <summary>
    /// A PUT or apply that omits <c>clusterIP(s)</c> or a port's <c>nodePort</c> keeps the allocated value while
    /// the type still uses it, so clients need not echo server-assigned fields.
    /// </summary>
    private static void PatchAllocatedValues(JsonObject spec, JsonObject oldSpec)
    {
        var type = JsonFields.AsString(spec["type"]) ?? "ClusterIP";
        var oldType = JsonFields.AsString(oldSpec["type"]) ?? "ClusterIP";
        if (type != "ExternalName" && oldType != "ExternalName")
        {
            foreach (var key in (string[])["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"])
            {
                if (JsonSemantics.IsZero(spec[key]) && !JsonSemantics.IsZero(oldSpec[key]))
                {
                    spec[key] = oldSpec[key]!.DeepClone();
                }
            }
        }
        if ((type is "NodePort" or "LoadBalancer") && (oldType is "NodePort" or "LoadBalancer"))
        {
            PatchNodePorts(spec["ports"] as JsonArray, oldSpec["ports"] as JsonArray);
        }
    }

    private static void PatchNodePorts(JsonArray? ports, JsonArray? oldPorts)
    {
        foreach (var (_, port) in JsonFields.Objects(ports))
        {
            if (!JsonSemantics.IsZero(port["nodePort"]))
            {
                continue;
            }
            var match = JsonFields.Objects(oldPorts).Select(p => p.Item).FirstOrDefault(o =>
                JsonFields.AsLong(o["port"]) == JsonFields.AsLong(port["port"]) &&
                (JsonFields.AsString(o["protocol"]) ?? "TCP") == (JsonFields.AsString(port["protocol"]) ?? "TCP"));
            if (match?["nodePort"] is { } nodePort)
            {
                port["nodePort"] = nodePort.DeepClone();
            }
        }
    }
}
