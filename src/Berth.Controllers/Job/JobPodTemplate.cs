using System.Globalization;
using System.Text.Json.Nodes;
using Berth.Controllers.ReplicaSet;
using Berth.Machinery.Serialization;

namespace Berth.Controllers.Job;

/// <summary>
/// The pod a Job creates: its template with the controller reference and the tracking finalizer; for an Indexed Job
/// also the completion index as annotation and label, the <c>JOB_COMPLETION_INDEX</c> variable (read from the
/// annotation) in every container, a <c>&lt;job&gt;-&lt;index&gt;-</c> name prefix and a <c>&lt;job&gt;-&lt;index&gt;</c>
/// hostname. Pure. Mirrors kubernetes/kubernetes pkg/controller/job/job_controller.go (manageJob's pod template)
/// and indexed_job_utils.go (addCompletionIndexEnvVariables, addCompletionIndexAnnotation, podGenerateNameWithIndex).
/// </summary>
public static class JobPodTemplate
{
    public static JsonObject NewPod(JsonObject job, int? index)
    {
        var pod = PodTemplates.GetPodFromTemplate(job);
        var meta = pod.Metadata();
        if (meta["finalizers"] is not JsonArray finalizers)
        {
            meta["finalizers"] = finalizers = [];
        }
        finalizers.Add(JobPods.JobTrackingFinalizer);
        if (index is { } ix)
        {
            AddCompletionIndex(job, pod, ix.ToString(CultureInfo.InvariantCulture));
        }
        return pod;
    }

    private static void AddCompletionIndex(JsonObject job, JsonObject pod, string index)
    {
        var meta = pod.Metadata();
        meta["generateName"] = $"{job.GetName()}-{index}-";
        Child(meta, "annotations")[JobPods.JobCompletionIndexAnnotation] = index;
        Child(meta, "labels")[JobPods.JobCompletionIndexAnnotation] = index;
        var spec = pod.GetObject("spec")!;
        if (string.IsNullOrEmpty(spec.GetString("hostname")))
        {
            spec["hostname"] = $"{job.GetName()}-{index}";
        }
        foreach (var list in (string[])["initContainers", "containers"])
        {
            foreach (var container in (spec.GetArray(list) ?? []).OfType<JsonObject>())
            {
                AddIndexEnv(container);
            }
        }
    }

    private static void AddIndexEnv(JsonObject container)
    {
        if (container["env"] is not JsonArray env)
        {
            container["env"] = env = [];
        }
        if (env.OfType<JsonObject>().Any(e => e.GetString("name") == JobPods.JobCompletionIndexEnvName))
        {
            return;
        }
        env.Add(new JsonObject
        {
            ["name"] = JobPods.JobCompletionIndexEnvName,
            ["valueFrom"] = new JsonObject
            {
                ["fieldRef"] = new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["fieldPath"] = $"metadata.annotations['{JobPods.JobCompletionIndexAnnotation}']",
                },
            },
        });
    }

    private static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is not JsonObject child)
        {
            parent[name] = child = [];
        }
        return child;
    }
}
