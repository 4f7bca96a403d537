using Berth.Bpf;
using Berth.Proxy.Kernel;
using Berth.UnitTests.Proxy.Kernel;

namespace Berth.UnitTests.Bpf;

/// <summary>The assembler's encoding and label resolution, and the shape the verifier demands of the programs (it checks the rest when they load).</summary>
public sealed class BpfAssemblerTests
{
    [Fact]
    public void Build_ForwardJump_OffsetCountsInstructionsBetween()
    {
        var code = new BpfAssembler()
            .JumpIfEqual(BpfReg.R1, 0, "out")  // 0
            .MovImm(BpfReg.R0, 7)              // 1
            .MovImm(BpfReg.R0, 8)              // 2
            .Label("out").MovImm(BpfReg.R0, 1) // 3
            .Exit()
            .Build();

        Assert.Equal(5 * 8, code.Length);
        Assert.Equal(new byte[] { 0x15, 0x01, 0x02, 0x00, 0, 0, 0, 0 }, code[..8]);   // jeq r1, 0, +2
        Assert.Equal(new byte[] { 0xb7, 0x00, 0, 0, 0x01, 0, 0, 0 }, code[24..32]);    // mov r0, 1
        Assert.Equal(0x95, code[32]);                                                   // exit
    }

    [Fact]
    public void Build_RegistersAndOffsets_PackedAsTheIsaSays()
    {
        var code = new BpfAssembler().StoreWord(BpfReg.R10, -16, BpfReg.R7).LoadWord(BpfReg.R1, BpfReg.R6, 24).Build();

        Assert.Equal(new byte[] { 0x63, 0x7a, 0xf0, 0xff, 0, 0, 0, 0 }, code[..8]);   // *(u32 *)(r10 - 16) = r7
        Assert.Equal(new byte[] { 0x61, 0x61, 0x18, 0x00, 0, 0, 0, 0 }, code[8..]);   // r1 = *(u32 *)(r6 + 24)
    }

    [Fact]
    public void LoadMapFd_TwoSlotsWithPseudoMapSource()
    {
        var code = new BpfAssembler().LoadMapFd(BpfReg.R1, 7).Build();

        Assert.Equal(new byte[] { 0x18, 0x11, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, code);
    }

    [Fact]
    public void Mod32AndAtomicAdd_EncodedAsTheIsaSays()
    {
        var code = new BpfAssembler().Mod32(BpfReg.R0, BpfReg.R7).AtomicAdd64(BpfReg.R0, 0, BpfReg.R1).Build();

        Assert.Equal(new byte[] { 0x9c, 0x70, 0, 0, 0, 0, 0, 0 }, code[..8]);   // w0 %= w7
        Assert.Equal(new byte[] { 0xdb, 0x10, 0, 0, 0, 0, 0, 0 }, code[8..]);   // lock *(u64 *)(r0 + 0) += r1
    }

    [BpfFact]
    public void Sock4Connect_EndsInAllowAndTheVerifierTakesIt()
    {
        using var services = BpfMap.Create(BpfMapType.Hash, 8, 8, 1, "t_services");
        using var backends = BpfMap.Create(BpfMapType.Hash, 8, 12, 1, "t_backends");
        using var counters = BpfMap.Create(BpfMapType.Array, 4, 40, 1, "t_conns");
        using var sockets = BpfMap.Create(BpfMapType.LruHash, 8, 4, 16, "t_socks");
        var code = Sock4ConnectProgram.Build(services, backends, counters, sockets);
        var count = code.Length / 8;

        Assert.Equal(0x95, code[^8]);                                                   // exit
        Assert.Equal(new byte[] { 0xb7, 0x00, 0, 0, 1, 0, 0, 0 }, code[^16..^8]);       // r0 = 1
        for (var i = 0; i < count; i++)
        {
            if (code[i * 8] is 0x05 or 0x15 or 0x55 or 0xb5)
            {
                Assert.InRange(i + 1 + BitConverter.ToInt16(code, i * 8 + 2), i + 1, count - 2); // forward, onto code
            }
        }
        using var loaded = BpfProgram.Load(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect, code, "t_sock4");
    }

    [BpfFact]
    public void SockOps_TheVerifierTakesIt()
    {
        using var counters = BpfMap.Create(BpfMapType.Array, 4, 40, 1, "t_conns");
        using var sockets = BpfMap.Create(BpfMapType.LruHash, 8, 4, 16, "t_socks");

        using var loaded = BpfProgram.Load(BpfProgramType.SockOps, BpfAttachType.CgroupSockOps, SockOpsProgram.Build(counters, sockets), "t_sockops");

        Assert.False(loaded.IsClosed);
    }

    [Fact]
    public void Build_UnknownLabel_Throws()
    {
        var asm = new BpfAssembler().JumpIfNotEqual(BpfReg.R1, 1, "nowhere").Exit();

        Assert.Throws<InvalidOperationException>(() => asm.Build());
    }

    [Fact]
    public void Label_DefinedTwice_Throws()
    {
        var asm = new BpfAssembler().Label("x");

        Assert.Throws<InvalidOperationException>(() => asm.Label("x"));
    }

    [PodSocketsFact]
    public void Load_RefusedProgram_ThrowsWithTheVerifiersLog()
    {
        var code = new BpfAssembler().Exit().Build(); // R0 never written: the verifier refuses

        var ex = Assert.Throws<BpfException>(() => BpfProgram.Load(BpfProgramType.CgroupSockAddr, BpfAttachType.CgroupInet4Bind, code, "berth_bad"));

        Assert.Equal(13, ex.Errno);
        Assert.Contains("R0", ex.VerifierLog, StringComparison.Ordinal);
    }
}
