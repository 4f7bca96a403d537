namespace Berth.Kubelet.Volumes;

/// <summary>Writes a payload with <see cref="AtomicWriter"/> and turns write failures into <see cref="VolumeSetupException"/>s.</summary>
internal static class PayloadPublisher
{
    public static string Publish(VolumeContext context, string directory, string volumeName, IReadOnlyDictionary<string, FileProjection> payload)
    {
        try
        {
            new AtomicWriter(directory, context.TimeProvider).Write(payload);
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw VolumeSetupException.SetUpFailed(volumeName, e.Message, e);
        }
    }

    /// <summary>Go's utilerrors.NewAggregate(...).Error(): the only message, or <c>[a, b]</c>.</summary>
    public static string Aggregate(IReadOnlyList<string> errors) =>
        errors.Count == 1 ? errors[0] : "[" + string.Join(", ", errors) + "]";
}
