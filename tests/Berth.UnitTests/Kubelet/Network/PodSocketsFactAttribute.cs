using Berth.Bpf;
using Berth.Kubelet.Runtime.ProcessRuntime.Containment;

namespace Berth.UnitTests.Kubelet.Network;

/// <summary>
/// Skips unless pod socket addressing can work here: root (cgroup directories and BPF programs), a writable cgroup2
/// mount, bpf(2) usable, and python3 for the test's listeners.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PodSocketsFactAttribute : FactAttribute
{
    public PodSocketsFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root (cgroups and BPF programs)";
        }
        else if (CgroupManager.FindCgroup2Mount() is null)
        {
            Skip = "no writable cgroup2 mount";
        }
        else if (!File.Exists("/usr/bin/python3") && !File.Exists("/usr/local/bin/python3"))
        {
            Skip = "python3 is needed for the test's listeners";
        }
        else
        {
            try
            {
                BpfMap.Create(BpfMapType.Hash, 8, 4, 1, "berth_probe").Dispose();
            }
            catch (BpfException ex)
            {
                Skip = "bpf(2) refused: " + ex.Message;
            }
        }
    }
}
