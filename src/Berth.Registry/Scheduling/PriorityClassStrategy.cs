using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Machinery.Kinds;
using Berth.Machinery.Serialization;
using Berth.Registry.Generic;
using Berth.Registry.Validation;

namespace Berth.Registry.Scheduling;

/// <summary>
/// PriorityClasses (scheduling.k8s.io/v1): <c>preemptionPolicy</c> defaults to PreemptLowerPriority and
/// <c>value</c> to 0 (a Go int32 without omitempty); <c>system-</c> names only for the built-in classes with their
/// values; user values at most 1,000,000,000; value and preemptionPolicy immutable; at most one globalDefault
/// (through <see cref="GlobalDefaultClaim"/>). Thread-safe. Mirrors kubernetes/kubernetes
/// pkg/registry/scheduling/priorityclass/strategy.go, pkg/apis/scheduling/validation (ValidatePriorityClass,
/// ValidatePriorityClassUpdate) and pkg/apis/scheduling/v1/defaults.go.
/// </summary>
internal sealed class PriorityClassStrategy() : ResourceStrategy(KindRegistry.PriorityClasses), IStoreHooks
{
    public const string PreemptLowerPriority = "PreemptLowerPriority";
    public const string PreemptNever = "Never";
    private static readonly string[] PreemptionPolicies = [PreemptLowerPriority, PreemptNever];

    /// <summary>Tracks the globalDefault class; pod admission reads it.</summary>
    public GlobalDefaultClaim GlobalDefault { get; } = new();

    public override void Default(JsonObject obj)
    {
        JsonFields.SetDefault(obj, "value", 0L);
        JsonFields.SetDefault(obj, "preemptionPolicy", PreemptLowerPriority); // a pointer upstream: only nil is defaulted
    }

    public override IReadOnlyList<FieldError> Validate(JsonObject obj)
    {
        var errs = new List<FieldError>(base.Validate(obj));
        var name = obj.GetName() ?? "";
        var value = JsonFields.AsLong(obj["value"]) ?? 0;
        if (name.StartsWith(SystemPriorityClasses.Prefix, StringComparison.Ordinal))
        {
            if (SystemPriorityClasses.KnownSystemClassError(name, value, GlobalDefaultClaim.IsDefault(obj)) is { } why)
            {
                errs.Add(FieldError.Forbidden("metadata.name",
                    $"priority class names with '{SystemPriorityClasses.Prefix}' prefix are reserved for system use only. error: {why}"));
            }
        }
        else if (value > SystemPriorityClasses.HighestUserDefinablePriority)
        {
            errs.Add(FieldError.Forbidden("value", $"maximum allowed value of a user defined priority is {SystemPriorityClasses.HighestUserDefinablePriority}"));
        }
        if (obj["preemptionPolicy"] is { } policyNode)
        {
            ValidatePreemptionPolicy(JsonFields.AsString(policyNode), "preemptionPolicy", errs);
        }
        return errs;
    }

    /// <summary>Value and preemptionPolicy never change (upstream ValidatePriorityClassUpdate).</summary>
    public override IReadOnlyList<FieldError> ValidateUpdate(JsonObject newObj, JsonObject oldObj)
    {
        var errs = new List<FieldError>(base.ValidateUpdate(newObj, oldObj));
        if ((JsonFields.AsLong(newObj["value"]) ?? 0) != (JsonFields.AsLong(oldObj["value"]) ?? 0))
        {
            errs.Add(FieldError.Forbidden("value", "may not be changed in an update."));
        }
        ImmutableField.Validate(newObj["preemptionPolicy"], oldObj["preemptionPolicy"], "preemptionPolicy", errs);
        return errs;
    }

    /// <summary>PreemptLowerPriority or Never; empty is Required (upstream ValidatePreemptionPolicy, shared with pods).</summary>
    public static void ValidatePreemptionPolicy(string? policy, string path, List<FieldError> errs)
    {
        if (string.IsNullOrEmpty(policy))
        {
            errs.Add(FieldError.Required(path));
        }
        else if (!PreemptionPolicies.Contains(policy))
        {
            errs.Add(FieldError.NotSupported(path, policy, PreemptionPolicies));
        }
    }

    public Task EnsureInitializedAsync(Func<CancellationToken, Task<IReadOnlyList<JsonObject>>> listStored, CancellationToken cancellationToken) =>
        GlobalDefault.EnsureInitializedAsync(listStored, cancellationToken);

    public FinishFunc BeginCreate(JsonObject obj, bool dryRun) => GlobalDefault.BeginCreate(obj, dryRun);

    public FinishFunc BeginUpdate(JsonObject newObj, JsonObject oldObj, bool dryRun) => GlobalDefault.BeginUpdate(newObj, oldObj, dryRun);

    public void AfterDelete(JsonObject obj) => GlobalDefault.AfterDelete(obj);
}
