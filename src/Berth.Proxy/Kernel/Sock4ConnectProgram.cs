using Berth.Bpf;
using static Berth.Bpf.BpfReg;

namespace Berth.Proxy.Kernel;

/// <summary>
/// The cgroup/connect4 program (BPF_PROG_TYPE_CGROUP_SOCK_ADDR at BPF_CGROUP_INET4_CONNECT): for a TCP connect() to a
/// ClusterIP:port in <c>lb4_services</c> it picks a backend at random (as kube-proxy's iptables mode does), checks that
/// the backend has a listening socket (<c>bpf_sk_lookup_tcp</c>; one without is counted as a dial failure and the next
/// slot is tried, at most <see cref="Attempts"/> slots), and rewrites the destination to it before the kernel connects,
/// so the connection goes straight to the pod. It records the socket's cookie → counter index in <c>lb4_socks</c> for
/// <see cref="SockOpsProgram"/>. Anything else passes unchanged: UDP, a miss (not our ClusterIP, or a service left to
/// user space), a service with no backends, no backend with a listener among the slots tried, and a backend-set lookup
/// that misses while <see cref="SocketLoadBalancer"/> swaps sets. It always returns 1 (allow): the user-space listener
/// on the ClusterIP answers whatever passes through. Layout of the maps: <see cref="Lb4MapLayout"/>.
/// </summary>
/// <remarks>
/// The idea of Cilium's bpf/bpf_sock.c (cil_sock4_connect, __sock4_xlate_fwd), written out by hand. A listener check is not a refused SYN retried: a listener whose backlog
/// is full is chosen anyway, and a backend that closes its listener between the check and the SYN refuses the client.
/// </remarks>
internal static class Sock4ConnectProgram
{
    /// <summary>Slots tried per connect (unrolled; fewer when the service has fewer backends).</summary>
    public const int Attempts = 4;

    private const int SockStream = 1, TupleSize = 12, CurrentNetns = -1;
    private const short ServiceKeyAt = -8, BackendKeyAt = -16, CounterKeyAt = -20, CountAt = -24, TupleAt = -40, CookieAt = -48, IndexAt = -56;

    public static byte[] Build(BpfMap services, BpfMap backends, BpfMap counters, BpfMap sockets)
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
         .StoreWord(R10, CountAt, R7)
         .LoadWord(R8, R0, 4)                                      // r8 = backend-set id
         .Call(BpfHelper.GetPrandomU32)
         .Mod32(R0, R7)                                            // slot = random % count
         .MovReg(R9, R0);                                          // r9 = slot
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            TrySlot(a, attempt, backends, counters);
        }
        Route(a, counters, sockets);
        a.Label("pass")
         .MovImm(R0, 1)                                             // allow the connect
         .Exit();
        return a.Build();
    }

    /// <summary>Looks up slot r9 into r7; goes to "route" if it has a listener, else counts a dial failure and moves r9 on.</summary>
    private static void TrySlot(BpfAssembler a, int attempt, BpfMap backends, BpfMap counters)
    {
        var refused = "refused" + attempt;
        a.StoreWord(R10, BackendKeyAt, R8)                          // backend key = {id, slot}
         .StoreWord(R10, (short)(BackendKeyAt + 4), R9)
         .MovReg(R2, R10).AddImm(R2, BackendKeyAt)
         .LoadMapFd(R1, backends)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "pass")
         .MovReg(R7, R0)                                            // r7 = &backend
         .StoreWordImm(R10, TupleAt, 0)                            // tuple.ipv4 = {saddr 0, daddr, sport 0, dport}
         .LoadWord(R2, R7, 0).StoreWord(R10, TupleAt + 4, R2)
         .StoreWordImm(R10, TupleAt + 8, 0)
         .LoadHalf(R2, R7, 4).StoreHalf(R10, TupleAt + 10, R2)
         .MovReg(R1, R6)
         .MovReg(R2, R10).AddImm(R2, TupleAt)
         .MovImm(R3, TupleSize)
         .MovImm(R4, CurrentNetns)                                 // BPF_F_CURRENT_NETNS
         .MovImm(R5, 0)
         .Call(BpfHelper.SkLookupTcp)                              // r0 = a socket bound to daddr:dport, or null
         .JumpIfEqual(R0, 0, refused)
         .MovReg(R1, R0)
         .Call(BpfHelper.SkRelease)
         .Goto("route")
         .Label(refused)
         .LoadWord(R2, R7, 8).StoreWord(R10, CounterKeyAt, R2)
         .MovReg(R2, R10).AddImm(R2, CounterKeyAt)
         .LoadMapFd(R1, counters)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "next" + attempt)
         .MovImm(R1, 1)
         .AtomicAdd64(R0, Lb4MapLayout.DialFailures, R1)          // dial_failures[index] += 1
         .Label("next" + attempt);
        if (attempt == Attempts - 1)
        {
            a.Goto("pass");                                         // no listener among the slots tried
            return;
        }
        a.LoadWord(R1, R10, CountAt)
         .JumpIfLessOrEqual(R1, attempt + 1, "pass")               // every slot tried
         .AddImm(R9, 1)
         .Mod32(R9, R1);                                           // slot = (slot + 1) % count
    }

    /// <summary>At "route": rewrites the destination to backend r7, counts the connect, and records cookie → index.</summary>
    private static void Route(BpfAssembler a, BpfMap counters, BpfMap sockets) =>
        a.Label("route")
         .LoadWord(R2, R7, 0).StoreWord(R6, Lb4MapLayout.UserIp4, R2)   // rewrite the destination address
         .LoadWord(R2, R7, 4).StoreWord(R6, Lb4MapLayout.UserPort, R2)  // and port (pad bytes are zero)
         .LoadWord(R2, R7, 8).StoreWord(R10, CounterKeyAt, R2)     // counter index
         .MovReg(R2, R10).AddImm(R2, CounterKeyAt)
         .LoadMapFd(R1, counters)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "pass")
         .MovImm(R1, 1)
         .AtomicAdd64(R0, Lb4MapLayout.Connects, R1)              // connects[index] += 1
         .MovReg(R1, R6)
         .Call(BpfHelper.GetSocketCookie)
         .StoreDoubleWord(R10, CookieAt, R0)
         .LoadWord(R2, R7, 8).StoreWord(R10, IndexAt, R2)
         .LoadMapFd(R1, sockets)
         .MovReg(R2, R10).AddImm(R2, CookieAt)
         .MovReg(R3, R10).AddImm(R3, IndexAt)
         .MovImm(R4, 0)                                             // BPF_ANY
         .Call(BpfHelper.MapUpdateElem);                           // lb4_socks[cookie] = index (a full LRU map evicts)
}
