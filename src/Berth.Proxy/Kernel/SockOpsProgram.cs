using Berth.Bpf;
using static Berth.Bpf.BpfReg;

namespace Berth.Proxy.Kernel;

/// <summary>
/// The sock_ops program (BPF_PROG_TYPE_SOCK_OPS at BPF_CGROUP_SOCK_OPS) that follows the connections
/// <see cref="Sock4ConnectProgram"/> routed, found by socket cookie in <c>lb4_socks</c>: when one is established
/// (BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB) it adds one to the endpoint's open connections and asks for state callbacks;
/// when it reaches TCP_CLOSE (BPF_SOCK_OPS_STATE_CB) it takes the one away, adds the socket's <c>bytes_acked</c>
/// (client → endpoint) and <c>bytes_received</c> (endpoint → client) to the endpoint's byte counts, and deletes the
/// cookie. Other sockets cost one hash lookup when established and nothing after. Bytes are therefore counted when a
/// connection closes, not while it runs. It always returns 1 (the reply is not used for these callbacks).
/// </summary>
internal static class SockOpsProgram
{
    /// <summary>Offsets and values from include/uapi/linux/bpf.h (struct bpf_sock_ops and its enums).</summary>
    private const short Op = 0, NewState = 8, CbFlags = 84, BytesReceived = 168, BytesAcked = 176;
    private const int ActiveEstablished = 4, StateChanged = 10, TcpClose = 7, StateCbFlag = 1 << 2;
    private const short CookieAt = -8, IndexAt = -12;

    public static byte[] Build(BpfMap counters, BpfMap sockets)
    {
        var a = new BpfAssembler();
        a.MovReg(R6, R1)                                            // r6 = ctx (struct bpf_sock_ops *)
         .LoadWord(R2, R6, Op)
         .JumpIfEqual(R2, ActiveEstablished, "established")
         .JumpIfNotEqual(R2, StateChanged, "out")
         .LoadWord(R2, R6, NewState)                               // args[1]: the new state
         .JumpIfNotEqual(R2, TcpClose, "out");
        FindCounters(a, counters, sockets);
        a.MovImm(R1, -1)
         .AtomicAdd64(R7, Lb4MapLayout.Active, R1)                // active -= 1
         .LoadDoubleWord(R1, R6, BytesAcked)
         .AtomicAdd64(R7, Lb4MapLayout.BytesIn, R1)
         .LoadDoubleWord(R1, R6, BytesReceived)
         .AtomicAdd64(R7, Lb4MapLayout.BytesOut, R1)
         .LoadMapFd(R1, sockets)
         .MovReg(R2, R10).AddImm(R2, CookieAt)
         .Call(BpfHelper.MapDeleteElem)
         .Goto("out")
         .Label("established");
        FindCounters(a, counters, sockets);
        a.MovImm(R1, 1)
         .AtomicAdd64(R7, Lb4MapLayout.Active, R1)                // active += 1
         .LoadWord(R2, R6, CbFlags)
         .OrImm(R2, StateCbFlag)
         .MovReg(R1, R6)
         .Call(BpfHelper.SockOpsCbFlagsSet)                        // call back on this socket's state changes
         .Label("out")
         .MovImm(R0, 1)
         .Exit();
        return a.Build();
    }

    /// <summary>r7 = the socket's counters (cookie at <see cref="CookieAt"/>), or goes to "out" when it is not one of ours.</summary>
    private static void FindCounters(BpfAssembler a, BpfMap counters, BpfMap sockets) =>
        a.MovReg(R1, R6)
         .Call(BpfHelper.GetSocketCookie)
         .StoreDoubleWord(R10, CookieAt, R0)
         .MovReg(R2, R10).AddImm(R2, CookieAt)
         .LoadMapFd(R1, sockets)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "out")
         .LoadWord(R2, R0, 0).StoreWord(R10, IndexAt, R2)
         .MovReg(R2, R10).AddImm(R2, IndexAt)
         .LoadMapFd(R1, counters)
         .Call(BpfHelper.MapLookupElem)
         .JumpIfEqual(R0, 0, "out")
         .MovReg(R7, R0);
}
