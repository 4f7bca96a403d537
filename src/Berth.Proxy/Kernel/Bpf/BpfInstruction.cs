using System.Buffers.Binary;

namespace Berth.Proxy.Kernel.Bpf;

/// <summary>
/// One eBPF instruction, <c>struct bpf_insn</c>: opcode (u8), destination register (low nibble) and source register
/// (high nibble) in one byte, a signed 16-bit offset and a signed 32-bit immediate, little-endian on the machines we
/// run on. The opcode is class | size or operation | mode or source (include/uapi/linux/bpf_common.h, bpf.h).
/// </summary>
public readonly record struct BpfInstruction(byte Opcode, byte Dst, byte Src, short Offset, int Immediate)
{
    public const int Size = 8;

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Opcode;
        destination[1] = (byte)((Src << 4) | (Dst & 0x0f));
        BinaryPrimitives.WriteInt16LittleEndian(destination[2..], Offset);
        BinaryPrimitives.WriteInt32LittleEndian(destination[4..], Immediate);
    }
}

/// <summary>The opcode parts the builder combines (bpf_common.h, bpf.h).</summary>
internal static class BpfOp
{
    // Instruction classes.
    public const byte Ld = 0x00, Ldx = 0x01, Stx = 0x03, Alu = 0x04, Jmp = 0x05, Alu64 = 0x07;

    // Sizes of loads and stores.
    public const byte W = 0x00, Dw = 0x18;

    // Modes.
    public const byte Imm = 0x00, Mem = 0x60, Atomic = 0xc0;

    // Operand source: the immediate (K) or the source register (X).
    public const byte K = 0x00, X = 0x08;

    // ALU operations.
    public const byte Add = 0x00, Mod = 0x90, Mov = 0xb0;

    // Jumps.
    public const byte Ja = 0x00, Jeq = 0x10, Jne = 0x50, Call = 0x80, Exit = 0x90;

    /// <summary>src_reg of a 64-bit immediate load whose immediate is a map file descriptor.</summary>
    public const byte PseudoMapFd = 1;
}
