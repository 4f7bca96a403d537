using Berth.Bpf;
using Xunit;

namespace Berth.Testing;

/// <summary>
/// Skips unless pod socket addressing (Berth.Kubelet's PodSocketAddresses) can work here: root (cgroup directories
/// and BPF programs), a cgroup2 mount, bpf(2) usable, and python3 for the tests' listeners.
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
        else if (Cgroup2Mount.Find() is null)
        {
            Skip = "no cgroup2 mount";
        }
        else if (!File.Exists("/usr/bin/python3") && !File.Exists("/usr/local/bin/python3"))
        {
            Skip = "python3 is needed for the tests' listeners";
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
