using Berth.Machinery.Errors;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

/// <summary>
/// Rejects configs the runtime cannot run safely. Pod UID, namespace, pod name and container name become path
/// segments, so they must be plain names (no '/', no "." or ".."); bad input is a 400, never a 500.
/// </summary>
internal static class ContainerConfigValidator
{
    public static void Validate(ContainerConfig config)
    {
        RequireSegment(config.PodUid, "podUid");
        RequireSegment(config.PodNamespace, "podNamespace");
        RequireSegment(config.PodName, "podName");
        RequireSegment(config.ContainerName, "containerName");
        if (config.Attempt < 0)
        {
            throw ApiErrors.BadRequest("attempt must not be negative");
        }
        if (config.Argv.Count == 0 || config.Argv[0].Length == 0)
        {
            throw ApiErrors.BadRequest($"container {config.ContainerName}: no command to run");
        }
        if (config.Argv.Any(a => a.Contains('\0')) || config.Environment.Any(e => e.Key.Contains('\0') || e.Value.Contains('\0')))
        {
            throw ApiErrors.BadRequest($"container {config.ContainerName}: argv and environment must not contain NUL");
        }
        if (config.Environment.Keys.Any(k => k.Length == 0 || k.Contains('=')))
        {
            throw ApiErrors.BadRequest($"container {config.ContainerName}: invalid environment variable name");
        }
        if (config.WorkingDirectory is { } wd && !Path.IsPathRooted(wd))
        {
            throw ApiErrors.BadRequest($"container {config.ContainerName}: workingDir must be absolute");
        }
        ValidateMounts(config);
    }

    // Mount paths go into a tab-separated file read by the mount script, so they must be absolute and single-line.
    private static void ValidateMounts(ContainerConfig config)
    {
        var paths = config.Mounts.SelectMany(m => new[] { m.ContainerPath, m.HostPath });
        if (!string.IsNullOrEmpty(config.TerminationMessagePath))
        {
            paths = paths.Append(config.TerminationMessagePath);
        }
        foreach (var path in paths)
        {
            if (!Path.IsPathRooted(path) || path.IndexOfAny(['\0', '\t', '\n', '\r']) >= 0)
            {
                throw ApiErrors.BadRequest($"container {config.ContainerName}: mount path \"{path}\" must be absolute and contain no tab, newline or NUL");
            }
        }
    }

    private static void RequireSegment(string value, string field)
    {
        if (string.IsNullOrEmpty(value) || value is "." or ".." || value.IndexOfAny(['/', '\0']) >= 0)
        {
            throw ApiErrors.BadRequest($"{field} \"{value}\" is not a valid name");
        }
    }
}
