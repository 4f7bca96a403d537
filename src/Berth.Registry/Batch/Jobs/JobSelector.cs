using System.Text.Json.Nodes;
using Berth.Machinery.Serialization;
using Berth.Registry.Validation;

namespace Berth.Registry.Batch.Jobs;

/// <summary>
/// The selector a Job gets unless <c>spec.manualSelector</c> is true: the template is labelled with the job's
/// name and UID (current and legacy label keys) and the selector matches the UID. Labels the user already set are
/// left alone (a conflict then fails validation). Mirrors kubernetes/kubernetes pkg/registry/batch/job/strategy.go
/// (generateSelectorIfNeeded, generateSelector).
/// </summary>
internal static class JobSelector
{
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyJobNameLabel = "job-name";
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string LegacyControllerUidLabel = "controller-uid";

    /// <summary>
    /// Needs <c>metadata.uid</c>; upstream's store fills it before PrepareForCreate. When the caller has not, a UID
    /// is assigned here so that the labels, the selector and the object agree.
    /// </summary>
    public static void GenerateIfNeeded(JsonObject job)
    {
        var spec = JsonFields.Child(job, "spec");
        if (JsonFields.AsBool(spec["manualSelector"]) == true)
        {
            return;
        }
        var meta = job.Metadata();
        if (string.IsNullOrEmpty(JsonFields.AsString(meta["uid"])))
        {
            meta["uid"] = Guid.NewGuid().ToString();
        }
        var uid = JsonFields.AsString(meta["uid"])!;
        var name = JsonFields.AsString(meta["name"]) ?? "";
        var labels = JsonFields.Child(JsonFields.Child(JsonFields.Child(spec, "template"), "metadata"), "labels");
        foreach (var (key, value) in (ReadOnlySpan<(string, string)>)[(LegacyJobNameLabel, name), (JobNameLabel, name), (LegacyControllerUidLabel, uid), (ControllerUidLabel, uid)])
        {
            if (!labels.ContainsKey(key))
            {
                labels[key] = value;
            }
        }
        var matchLabels = JsonFields.Child(JsonFields.Child(spec, "selector"), "matchLabels");
        if (!matchLabels.ContainsKey(ControllerUidLabel))
        {
            matchLabels[ControllerUidLabel] = uid;
        }
    }
}
