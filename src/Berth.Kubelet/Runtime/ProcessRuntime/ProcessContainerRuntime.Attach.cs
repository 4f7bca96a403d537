using Berth.Machinery.Errors;

namespace Berth.Kubelet.Runtime.ProcessRuntime;

public sealed partial class ProcessContainerRuntime
{
    /// <summary>
    /// The attach point of Running container <paramref name="id"/>; NotFound for an unknown container, BadRequest
    /// when it is not Running or its output is not being read (it is exiting). Nothing is opened yet. Thread-safe.
    /// Mirrors containerd internal/cri/server/container_attach.go (the Running check before attachContainer).
    /// </summary>
    internal ContainerAttachPoint GetAttachPoint(ContainerId id)
    {
        var record = Get(id);
        lock (record.Gate)
        {
            if (record.State.State != ContainerState.Running || record.Pump is not { } pump)
            {
                throw ApiErrors.BadRequest($"container {id} is not running");
            }
            return new ContainerAttachPoint(record, pump);
        }
    }
}
