using Berth.Proxy.Kernel;
using Berth.Proxy.Kernel.Bpf;
using static Berth.Proxy.Kernel.Bpf.BpfAssembler;

namespace Berth.UnitTests.Proxy.Kernel;

/// <summary>The hand assembler's encoding rules (struct bpf_insn) and the shape the verifier demands of the connect4 program.</summary>
public sealed class BpfAssemblerTests
{
    [Fact]
    public void Assemble_ForwardJump_OffsetCountsInstructionsAfterTheJump()
    {
        var a = new BpfAssembler().JumpIfEqual(R0, 0, "out").Mov64(R1, 2).Mov64(R1, 3).Label("out").Exit();

        var bytes = a.Assemble();

        Assert.Equal(4 * BpfInstruction.Size, bytes.Length);
        Assert.Equal(2, a.Instructions[0].Offset);
        Assert.Equal(new byte[] { 0x15, 0x00, 0x02, 0x00, 0, 0, 0, 0 }, bytes[..8]); // jeq r0, 0, +2
    }

    [Fact]
    public void Encode_Registers_DestinationInLowNibbleSourceInHigh()
    {
        var bytes = new BpfAssembler().LoadWord(R2, R6, 32).Assemble();

        Assert.Equal(new byte[] { 0x61, 0x62, 32, 0, 0, 0, 0, 0 }, bytes); // r2 = *(u32 *)(r6 + 32)
    }

    [Fact]
    public void LoadMapFd_TwoSlotsWithPseudoMapSource()
    {
        var bytes = new BpfAssembler().LoadMapFd(R1, 7).Assemble();

        Assert.Equal(new byte[] { 0x18, 0x11, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, bytes);
    }

    [Fact]
    public void Assemble_JumpToMissingLabel_Throws()
    {
        var a = new BpfAssembler().JumpIfNotEqual(R2, 1, "nowhere").Exit();

        Assert.Throws<InvalidOperationException>(() => a.Assemble());
    }

    [Fact]
    public void Sock4Connect_EveryPathEndsInExitWithR0SetToAllow()
    {
        var bytes = Sock4ConnectProgram.Build(3, 4, 5);
        var count = bytes.Length / BpfInstruction.Size;
        var last = bytes[^BpfInstruction.Size..];
        var beforeLast = bytes[^(2 * BpfInstruction.Size)..^BpfInstruction.Size];

        Assert.Equal(0x95, last[0]); // exit
        Assert.Equal(new byte[] { 0xb7, 0x00, 0, 0, 1, 0, 0, 0 }, beforeLast); // r0 = 1
        for (var i = 0; i < count; i++)
        {
            var opcode = bytes[i * BpfInstruction.Size];
            if (opcode is 0x15 or 0x55) // jeq / jne: every branch lands on "r0 = 1; exit"
            {
                var offset = BitConverter.ToInt16(bytes, i * BpfInstruction.Size + 2);
                Assert.Equal(count - 2, i + 1 + offset);
            }
        }
    }
}
