// A stand-in for the Berth agent: starts one container with ProcessContainerRuntime, prints its id and main PID
// ("<id> <pid>"), then waits until stdin closes. The adoption test kills it with SIGKILL and adopts the container.
// Usage: RuntimeAgent <stateDir> <logDir> <argv...>
using Berth.Kubelet.Runtime;
using Berth.Kubelet.Runtime.ProcessRuntime;
using Microsoft.Extensions.Logging.Abstractions;

var runtime = new ProcessContainerRuntime(
    new ProcessRuntimeOptions { StateDirectory = args[0], LogDirectory = args[1] },
    TimeProvider.System, NullLogger<ProcessContainerRuntime>.Instance);
var id = await runtime.CreateContainerAsync(new ContainerConfig
{
    PodUid = "9a1d2c3b-0000-4000-8000-00000000c0de",
    PodNamespace = "default",
    PodName = "adopt-me",
    ContainerName = "app",
    Argv = args[2..],
});
await runtime.StartContainerAsync(id);
var status = await runtime.GetContainerStatusAsync(id);
Console.WriteLine($"{id} {status.Pid}");
Console.Out.Flush();
await Console.In.ReadToEndAsync();
runtime.Dispose();
