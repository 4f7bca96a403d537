using System.Buffers.Binary;

namespace Berth.Bpf;

/// <summary>Registers of the eBPF machine: R0 return value, R1–R5 arguments (clobbered by calls), R6–R9 callee-saved, R10 frame pointer (read-only).</summary>
public enum BpfReg : byte
{
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10,
}

/// <summary>
/// Builds an eBPF program from the small instruction subset Berth's programs need, with named labels for forward
/// jumps. Each method appends one instruction (<see cref="LoadMapFd"/> two, as the ISA requires) and returns the
/// assembler, so programs read top to bottom. <see cref="Build"/> resolves labels and throws on an unknown or
/// duplicate one. Encoding: Documentation/bpf/standardization/instruction-set.rst (struct bpf_insn, 8 bytes).
/// </summary>
public sealed class BpfAssembler
{
    private const byte ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03, ClassAlu = 0x04, ClassJmp = 0x05, ClassAlu64 = 0x07, ClassLd = 0x00;
    private const byte SizeW = 0x00, SizeH = 0x08, SizeB = 0x10, SizeDW = 0x18, ModeMem = 0x60, ModeImm = 0x00, ModeAtomic = 0xc0;
    private const byte OpAdd = 0x00, OpOr = 0x40, OpMod = 0x90, OpMov = 0xb0, SourceK = 0x00, SourceX = 0x08;
    private const byte JumpAlways = 0x00, JumpEq = 0x10, JumpNe = 0x50, JumpLe = 0xb0, OpCall = 0x80, OpExit = 0x90;
    private const byte PseudoMapFd = 1;

    private readonly List<(byte Code, byte Regs, short Offset, int Imm, string? Target)> _code = [];
    private readonly Dictionary<string, int> _labels = new(StringComparer.Ordinal);

    /// <summary>Instructions so far (a map load counts two).</summary>
    public int Count => _code.Count;

    public BpfAssembler MovReg(BpfReg dst, BpfReg src) => Emit(ClassAlu64 | OpMov | SourceX, dst, src, 0, 0);

    /// <summary>dst = imm, sign-extended to 64 bits.</summary>
    public BpfAssembler MovImm(BpfReg dst, int imm) => Emit(ClassAlu64 | OpMov | SourceK, dst, 0, 0, imm);

    public BpfAssembler AddImm(BpfReg dst, int imm) => Emit(ClassAlu64 | OpAdd | SourceK, dst, 0, 0, imm);

    /// <summary>dst |= imm (sign-extended to 64 bits).</summary>
    public BpfAssembler OrImm(BpfReg dst, int imm) => Emit(ClassAlu64 | OpOr | SourceK, dst, 0, 0, imm);

    /// <summary>w(dst) %= w(src) (32-bit; the upper half of dst is zeroed; a zero divisor leaves dst unchanged).</summary>
    public BpfAssembler Mod32(BpfReg dst, BpfReg src) => Emit(ClassAlu | OpMod | SourceX, dst, src, 0, 0);

    /// <summary>lock *(u64 *)(dst + offset) += src (BPF_ATOMIC | BPF_ADD).</summary>
    public BpfAssembler AtomicAdd64(BpfReg dst, short offset, BpfReg src) => Emit(ClassStx | ModeAtomic | SizeDW, dst, src, offset, OpAdd);

    /// <summary>dst = *(u32 *)(src + offset), zero-extended.</summary>
    public BpfAssembler LoadWord(BpfReg dst, BpfReg src, short offset) => Emit(ClassLdx | ModeMem | SizeW, dst, src, offset, 0);

    /// <summary>dst = *(u16 *)(src + offset), zero-extended.</summary>
    public BpfAssembler LoadHalf(BpfReg dst, BpfReg src, short offset) => Emit(ClassLdx | ModeMem | SizeH, dst, src, offset, 0);

    /// <summary>dst = *(u64 *)(src + offset).</summary>
    public BpfAssembler LoadDoubleWord(BpfReg dst, BpfReg src, short offset) => Emit(ClassLdx | ModeMem | SizeDW, dst, src, offset, 0);

    /// <summary>*(u16 *)(dst + offset) = src (low 16 bits).</summary>
    public BpfAssembler StoreHalf(BpfReg dst, short offset, BpfReg src) => Emit(ClassStx | ModeMem | SizeH, dst, src, offset, 0);

    /// <summary>*(u32 *)(dst + offset) = src (low 32 bits).</summary>
    public BpfAssembler StoreWord(BpfReg dst, short offset, BpfReg src) => Emit(ClassStx | ModeMem | SizeW, dst, src, offset, 0);

    /// <summary>*(u64 *)(dst + offset) = src.</summary>
    public BpfAssembler StoreDoubleWord(BpfReg dst, short offset, BpfReg src) => Emit(ClassStx | ModeMem | SizeDW, dst, src, offset, 0);

    /// <summary>*(u32 *)(dst + offset) = imm.</summary>
    public BpfAssembler StoreWordImm(BpfReg dst, short offset, int imm) => Emit(ClassSt | ModeMem | SizeW, dst, 0, offset, imm);

    /// <summary>*(u8 *)(dst + offset) = imm.</summary>
    public BpfAssembler StoreByteImm(BpfReg dst, short offset, byte imm) => Emit(ClassSt | ModeMem | SizeB, dst, 0, offset, imm);

    /// <summary>dst = the map (BPF_LD_IMM64 with BPF_PSEUDO_MAP_FD; the kernel swaps the fd for the map's address at load).</summary>
    public BpfAssembler LoadMapFd(BpfReg dst, BpfMap map) => LoadMapFd(dst, map.Handle.Fd);

    /// <summary>As <see cref="LoadMapFd(BpfReg, BpfMap)"/>, by descriptor number.</summary>
    public BpfAssembler LoadMapFd(BpfReg dst, int mapFd)
    {
        Emit(ClassLd | ModeImm | SizeDW, dst, (BpfReg)PseudoMapFd, 0, mapFd);
        return Emit(0, 0, 0, 0, 0);
    }

    /// <summary>R0 = helper(R1..R5); R1–R5 are clobbered.</summary>
    public BpfAssembler Call(BpfHelper helper) => Emit(ClassJmp | OpCall, 0, 0, 0, (int)helper);

    public BpfAssembler Exit() => Emit(ClassJmp | OpExit, 0, 0, 0, 0);

    /// <summary>if ((u64)reg == (u64)(s64)imm) goto label.</summary>
    public BpfAssembler JumpIfEqual(BpfReg reg, int imm, string label) => Jump(JumpEq, reg, imm, label);

    /// <summary>if ((u64)reg != (u64)(s64)imm) goto label.</summary>
    public BpfAssembler JumpIfNotEqual(BpfReg reg, int imm, string label) => Jump(JumpNe, reg, imm, label);

    /// <summary>if ((u64)reg != (u64)other) goto label.</summary>
    public BpfAssembler JumpIfNotEqual(BpfReg reg, BpfReg other, string label)
    {
        _code.Add(((byte)(ClassJmp | JumpNe | SourceX), (byte)(((byte)other << 4) | (byte)reg), 0, 0, label));
        return this;
    }

    /// <summary>if ((u64)reg &lt;= (u64)(s64)imm) goto label.</summary>
    public BpfAssembler JumpIfLessOrEqual(BpfReg reg, int imm, string label) => Jump(JumpLe, reg, imm, label);

    /// <summary>goto label.</summary>
    public BpfAssembler Goto(string label) => Jump(JumpAlways, 0, 0, label);

    /// <summary>Names the position of the next instruction.</summary>
    public BpfAssembler Label(string name)
    {
        if (!_labels.TryAdd(name, _code.Count))
        {
            throw new InvalidOperationException($"label {name} defined twice");
        }
        return this;
    }

    /// <summary>The program as the kernel takes it: 8 bytes per instruction, little-endian.</summary>
    public byte[] Build()
    {
        var bytes = new byte[_code.Count * 8];
        for (var i = 0; i < _code.Count; i++)
        {
            var (code, regs, offset, imm, target) = _code[i];
            if (target is not null)
            {
                offset = _labels.TryGetValue(target, out var at)
                    ? checked((short)(at - i - 1))
                    : throw new InvalidOperationException($"label {target} is not defined");
            }
            var slot = bytes.AsSpan(i * 8, 8);
            slot[0] = code;
            slot[1] = regs;
            BinaryPrimitives.WriteInt16LittleEndian(slot[2..], offset);
            BinaryPrimitives.WriteInt32LittleEndian(slot[4..], imm);
        }
        return bytes;
    }

    private BpfAssembler Jump(byte op, BpfReg reg, int imm, string label)
    {
        _code.Add(((byte)(ClassJmp | op | SourceK), (byte)reg, 0, imm, label));
        return this;
    }

    private BpfAssembler Emit(int code, BpfReg dst, BpfReg src, short offset, int imm)
    {
        _code.Add(((byte)code, (byte)(((byte)src << 4) | (byte)dst), offset, imm, null));
        return this;
    }
}
