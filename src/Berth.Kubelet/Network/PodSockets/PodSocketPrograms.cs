using Berth.Bpf;
using static Berth.Bpf.BpfReg;

namespace Berth.Kubelet.Network.PodSockets;

/// <summary>
/// The four cgroup/sock_addr programs behind <see cref="PodSocketAddresses"/>, assembled against its two maps:
/// <c>pods</c> (u64 cgroup id → {u32 pod IPv4, u32 generation}) and <c>listens</c>, an LRU hash ({u32 pod IPv4, u32
/// port} → u32 generation). Addresses and ports are kept exactly as <c>struct bpf_sock_addr</c> holds them (network
/// byte order in a u32). The generation tells one pod from a later one given the same IP: a listen recorded by an
/// earlier pod no longer matches, so nothing has to be deleted when a pod goes (old entries age out of the LRU).
/// Every program returns 1 (allow); a socket of a process whose cgroup is not in <c>pods</c> is never changed.
/// <list type="bullet">
/// <item>bind4: <c>0.0.0.0:P</c> or <c>127.0.0.1:P</c> (P ≠ 0) becomes <c>podIP:P</c>, and {podIP, P} is recorded.</item>
/// <item>bind6: <c>[::]:P</c> or <c>[::1]:P</c> (P ≠ 0) becomes <c>[::ffff:podIP]:P</c> (a dual-stack socket then
/// listens on the pod's IPv4 only), recorded likewise; an <c>IPV6_V6ONLY</c> socket is left alone.</item>
/// <item>connect4 / connect6: <c>127.0.0.1:P</c> / <c>[::1]:P</c> becomes the pod address when {podIP, P} is recorded
/// by this pod (the pod's own listener, as localhost in a pod's network namespace); other loopback ports stay the host's.</item>
/// </list>
/// Port-0 binds (clients picking an ephemeral port, often before talking to other hosts) are left alone.
/// </summary>
internal static class PodSocketPrograms
{
    // struct bpf_sock_addr offsets (include/uapi/linux/bpf.h).
    private const short UserIp4 = 4, UserIp6 = 8, UserPort = 24;

    // 127.0.0.1, the last word of ::1, and the third word of ::ffff:0:0, as little-endian loads of network-order bytes.
    private const int Loopback4 = 0x0100007f, Loopback6LastWord = 0x01000000;
    private const int V4MappedWord = unchecked((int)0xffff0000);

    // Stack slots below the frame pointer: the cgroup id key, the listens key {ip, port}, the listens value.
    private const short CgroupKey = -8, ListenKey = -16, ListenKeyPort = -12, ListenValue = -20, OptionValue = -24;

    // getsockopt(SOL_IPV6, IPV6_V6ONLY).
    private const int SolIpv6 = 41, Ipv6V6Only = 26;

    public static byte[] Bind4(BpfMap pods, BpfMap listens)
    {
        var a = new BpfAssembler().MovReg(R6, R1);
        PodAddressOf(a, pods);
        a.LoadWord(R1, R6, UserIp4).JumpIfEqual(R1, 0, "rewrite").JumpIfNotEqual(R1, Loopback4, "pass")
            .Label("rewrite").LoadWord(R1, R6, UserPort).JumpIfEqual(R1, 0, "pass")
            .StoreWord(R6, UserIp4, R7);
        return RecordListen(a, listens).Label("pass").MovImm(R0, 1).Exit().Build();
    }

    public static byte[] Bind6(BpfMap pods, BpfMap listens)
    {
        var a = new BpfAssembler().MovReg(R6, R1);
        PodAddressOf(a, pods);
        LeadingWordsZero(a);
        a.LoadWord(R1, R6, UserIp6 + 12).JumpIfEqual(R1, 0, "rewrite").JumpIfNotEqual(R1, Loopback6LastWord, "pass")
            .Label("rewrite").LoadWord(R1, R6, UserPort).JumpIfEqual(R1, 0, "pass");
        SkipIfV6Only(a);
        WriteV4Mapped(a);
        return RecordListen(a, listens).Label("pass").MovImm(R0, 1).Exit().Build();
    }

    public static byte[] Connect4(BpfMap pods, BpfMap listens)
    {
        var a = new BpfAssembler().MovReg(R6, R1).LoadWord(R1, R6, UserIp4).JumpIfNotEqual(R1, Loopback4, "pass");
        PodAddressOf(a, pods);
        OwnListener(a, listens);
        return a.StoreWord(R6, UserIp4, R7).Label("pass").MovImm(R0, 1).Exit().Build();
    }

    public static byte[] Connect6(BpfMap pods, BpfMap listens)
    {
        var a = new BpfAssembler().MovReg(R6, R1);
        LeadingWordsZero(a);
        a.LoadWord(R1, R6, UserIp6 + 12).JumpIfNotEqual(R1, Loopback6LastWord, "pass");
        PodAddressOf(a, pods);
        OwnListener(a, listens);
        WriteV4Mapped(a);
        return a.Label("pass").MovImm(R0, 1).Exit().Build();
    }

    // R7, R8 = the address and generation of pods[current cgroup id], or jump to "pass". Clobbers R0–R5.
    private static void PodAddressOf(BpfAssembler a, BpfMap pods) =>
        a.Call(BpfHelper.GetCurrentCgroupId).StoreDoubleWord(R10, CgroupKey, R0)
            .LoadMapFd(R1, pods).MovReg(R2, R10).AddImm(R2, CgroupKey).Call(BpfHelper.MapLookupElem)
            .JumpIfEqual(R0, 0, "pass").LoadWord(R7, R0, 0).LoadWord(R8, R0, 4);

    // The first three words of user_ip6 are zero (:: or ::1 so far), else jump to "pass".
    private static void LeadingWordsZero(BpfAssembler a) =>
        a.LoadWord(R1, R6, UserIp6).JumpIfNotEqual(R1, 0, "pass")
            .LoadWord(R1, R6, UserIp6 + 4).JumpIfNotEqual(R1, 0, "pass")
            .LoadWord(R1, R6, UserIp6 + 8).JumpIfNotEqual(R1, 0, "pass");

    // An IPV6_V6ONLY socket cannot take a v4-mapped address (EINVAL): it keeps its address, as nginx's "listen [::]:80"
    // (ipv6only=on) next to "listen 80" expects. Jumps to "pass" when the option is set. Clobbers R0–R5.
    private static void SkipIfV6Only(BpfAssembler a) =>
        a.StoreWordImm(R10, OptionValue, 0).MovReg(R1, R6).MovImm(R2, SolIpv6).MovImm(R3, Ipv6V6Only)
            .MovReg(R4, R10).AddImm(R4, OptionValue).MovImm(R5, 4).Call(BpfHelper.GetSockOpt)
            .JumpIfNotEqual(R0, 0, "pass").LoadWord(R1, R10, OptionValue).JumpIfNotEqual(R1, 0, "pass");

    // user_ip6 = ::ffff:R7 (the first two words are already zero).
    private static void WriteV4Mapped(BpfAssembler a) =>
        a.MovImm(R1, V4MappedWord).StoreWord(R6, UserIp6 + 8, R1).StoreWord(R6, UserIp6 + 12, R7);

    // listens[{R7, user_port}] = R8 (the pod's generation). Clobbers R0–R5.
    private static BpfAssembler RecordListen(BpfAssembler a, BpfMap listens) =>
        a.StoreWord(R10, ListenKey, R7).LoadWord(R1, R6, UserPort).StoreWord(R10, ListenKeyPort, R1).StoreWord(R10, ListenValue, R8)
            .LoadMapFd(R1, listens).MovReg(R2, R10).AddImm(R2, ListenKey).MovReg(R3, R10).AddImm(R3, ListenValue)
            .MovImm(R4, 0).Call(BpfHelper.MapUpdateElem);

    // Jumps to "pass" unless listens holds {R7, user_port} recorded by this pod (generation R8). Clobbers R0–R5.
    private static void OwnListener(BpfAssembler a, BpfMap listens) =>
        a.StoreWord(R10, ListenKey, R7).LoadWord(R1, R6, UserPort).StoreWord(R10, ListenKeyPort, R1)
            .LoadMapFd(R1, listens).MovReg(R2, R10).AddImm(R2, ListenKey).Call(BpfHelper.MapLookupElem)
            .JumpIfEqual(R0, 0, "pass").LoadWord(R1, R0, 0).JumpIfNotEqual(R1, R8, "pass");
}
