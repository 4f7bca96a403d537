namespace Berth.Server.Hosting.Controllers;

/// <summary>
/// One controller the controller stage runs. <see cref="Create"/> is called once, before the shared informers start,
/// so the controller can ask the factory for its informers; the run delegate it returns is then called once, on a pool
/// thread, and must return when its token fires. Registered as a singleton; the stage starts them in registration order.
/// </summary>
/// <remarks>Mirrors the controller descriptors of kubernetes/kubernetes cmd/kube-controller-manager/app/controller_descriptor.go.</remarks>
internal sealed record ControllerRegistration(string Name, Func<IServiceProvider, Func<CancellationToken, Task>> Create);
