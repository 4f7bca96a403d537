using Berth.Controllers.Rbac;
using Berth.Registry.Rbac;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.Controllers.Rbac;

/// <summary>The RBAC bootstrap, the ClusterRole aggregation controller and the policy controller over the real registry.</summary>
internal sealed class RbacTestHost : ControllerHostBase
{
    public RbacTestHost()
        : base(null)
    {
        Bootstrap = new RbacBootstrap(Api, NullLogger<RbacBootstrap>.Instance);
    }

    public RbacBootstrap Bootstrap { get; }

    public RbacPolicyHolder Policy { get; } = new();

    /// <summary>Starts both controllers and the informers.</summary>
    public void Run()
    {
        Add(new ClusterRoleAggregationController(Informers, Api, Time, NullLogger<ClusterRoleAggregationController>.Instance));
        Add(new RbacPolicyController(Informers, Policy, Time, NullLogger<RbacPolicyController>.Instance));
        StartInformers();
    }
}
