using Berth.Bpf;
using static Berth.Bpf.BpfReg;

namespace Berth.Proxy.Kernel;

/// <summary>
/// The cgroup/connect4 program (BPF_PROG_TYPE_CGROUP_SOCK_ADDR at BPF_CGROUP_INET4_CONNECT): for a TCP connect() to a
/// ClusterIP:port in <c>lb4_services</c> it picks a backend at random (as kube-proxy's iptables mode does) and rewrites
/// the destination to it before the kernel connects, so the connection goes straight to the pod. Anything else passes
/// unchanged: UDP, a miss (not our ClusterIP, or a service left to user space), a service with no backends, and a
/// backend-set lookup that misses while <see cref="SocketLoadBalancer"/> swaps sets. It always returns 1 (allow): the
/// user-space listener on the ClusterIP answers whatever passes through. Layout of the maps: <see cref="Lb4MapLayout"/>.
/// </summary>
/// <remarks>The idea of Cilium's bpf/bpf_sock.c (cil_sock4_connect, __sock4_xlate_fwd), written out by hand.</remarks>
internal static class Sock4ConnectProgram
{
    private const int SockStream = 1;
    private const short ServiceKeyAt = -8, BackendKeyAt = -16, CounterKeyAt = -20;

    public static byte[] Build(BpfMap services, BpfMap backends, BpfMap counters)
    {
        var a = new BpfAssembler();
        a.MovReg(R6, R1)                                            // r6 = ctx (struct bpf_sock_addr *), kept across calls
         .LoadWord(R2, R6, Lb4MapLayout.SocketType)
         .JumpIfNotEqual(R2, SockStream, "pass")                 // TCP only
         .LoadWord(R2, R6, Lb4MapLayout.UserIp4)                   // service key = {user_ip4, user_port}, on the stack
         .StoreWord(R10, ServiceKeyAt, R2)
         .LoadWord(R2, R6, Lb4MapLayout.UserPort)                  // the port in network order in the low 16 bits, upper 16 zero
         .StoreWord(R10, (short)(ServiceKeyAt + 4), R2)
         .MovReg(R2, R10).AddImm(R2, ServiceKeyAt)
         .LoadMapFd(R1, services)
         .Call(BpfHelper.MapLookupElem)                            // r0 = &services[key] or null
         .JumpIfEqual(R0, 0, "pass")
         .LoadWord(R7, R0, 0)                                      // r7 = count
         .JumpIfEqual(R7, 0, "pass")
         .LoadWord(R8, R0, 4)                                      // r8 = backend-set id
         .Call(BpfHelper.GetPrandomU32)
         .Mod32(R0, R7)                                            // slot = random % count
         .StoreWord(R10, BackendKeyAt, R8)                         // backend key = {id, slot}
         .StoreWord(R10, (short)(BackendKeyAt + 4), R0)
         .MovReg(R2, R10).AddImm(R2, BackendKeyAt)
         .LoadMapFd(R1, backends)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "pass")
         .LoadWord(R2, R0, 0).StoreWord(R6, Lb4MapLayout.UserIp4, R2)   // rewrite the destination address
         .LoadWord(R2, R0, 4).StoreWord(R6, Lb4MapLayout.UserPort, R2)  // and port (pad bytes are zero)
         .LoadWord(R2, R0, 8).StoreWord(R10, CounterKeyAt, R2)     // counter index
         .MovReg(R2, R10).AddImm(R2, CounterKeyAt)
         .LoadMapFd(R1, counters)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "pass")
         .MovImm(R1, 1)
         .AtomicAdd64(R0, 0, R1)                                   // counters[index] += 1
         .Label("pass")
         .MovImm(R0, 1)                                             // allow the connect
         .Exit();
        return a.Build();
    }
}
