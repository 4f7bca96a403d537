using System.Text.Json.Nodes;
using Berth.Machinery.Errors;
using Berth.Registry.Validation;

namespace Berth.Registry.Core.PersistentVolumes;

/// <summary>
/// The access modes of claims and volumes: the supported names, their validation (at least one, known, and
/// ReadWriteOncePod alone) and the short form kubectl prints (<c>RWO,ROX,RWX,RWOP</c>). Stateless.
/// Mirrors pkg/apis/core/validation (validatePersistentVolumeClaimSpec's access-mode checks) and
/// pkg/apis/core/helper (GetAccessModesAsString).
/// </summary>
public static class VolumeAccessModes
{
    public const string ReadWriteOnce = "ReadWriteOnce";
    public const string ReadOnlyMany = "ReadOnlyMany";
    public const string ReadWriteMany = "ReadWriteMany";
    public const string ReadWriteOncePod = "ReadWriteOncePod";

    /// <summary>The supported modes in the order upstream's NotSupported message lists them.</summary>
    public static readonly string[] Supported = [ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod];

    private static readonly (string Mode, string Short)[] ShortForms =
        [(ReadWriteOnce, "RWO"), (ReadOnlyMany, "ROX"), (ReadWriteMany, "RWX"), (ReadWriteOncePod, "RWOP")];

    /// <summary>Appends the access-mode errors of <paramref name="modes"/> at <paramref name="path"/>.</summary>
    public static void Validate(JsonArray? modes, string path, string requiredDetail, List<FieldError> errs)
    {
        var values = Strings(modes);
        if (values.Count == 0)
        {
            errs.Add(FieldError.Required(path, requiredDetail));
        }
        foreach (var mode in values.Where(m => !Supported.Contains(m)))
        {
            errs.Add(FieldError.NotSupported(path, mode, Supported));
        }
        if (values.Contains(ReadWriteOncePod) && values.Count > 1)
        {
            errs.Add(FieldError.Forbidden(path, "may not use ReadWriteOncePod with other access modes"));
        }
    }

    /// <summary>The string items of a JSON array (others skipped).</summary>
    public static List<string> Strings(JsonArray? modes) =>
        modes is null ? [] : [.. modes.Select(JsonFields.AsString).OfType<string>()];

    /// <summary>kubectl's short form: each known mode once, in the fixed order RWO, ROX, RWX, RWOP.</summary>
    public static string ToShortString(JsonArray? modes)
    {
        var values = Strings(modes);
        return string.Join(",", ShortForms.Where(s => values.Contains(s.Mode)).Select(s => s.Short));
    }

    /// <summary>True when every mode of <paramref name="requested"/> is among <paramref name="offered"/>.</summary>
    public static bool Satisfies(JsonArray? offered, JsonArray? requested)
    {
        var have = Strings(offered);
        return Strings(requested).All(have.Contains);
    }
}
