using Berth.Bpf;

namespace Berth.UnitTests.Kubelet.Network;

/// <summary>The assembler's encoding and label resolution (the verifier checks the rest when programs load).</summary>
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
