namespace Berth.Proxy.Kernel.Bpf;

/// <summary>
/// Builds an eBPF program instruction by instruction, with forward jumps to named labels resolved at
/// <see cref="Assemble"/> (a jump's offset counts instructions after the jump itself). Each method emits what its name
/// says in the kernel's own assembler notation, shown in its comment. Registers: R0 return value and helper result,
/// R1–R5 helper arguments (clobbered by calls), R6–R9 preserved across calls, R10 read-only frame pointer.
/// </summary>
public sealed class BpfAssembler
{
    public const byte R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5, R6 = 6, R7 = 7, R8 = 8, R9 = 9, R10 = 10;

    private readonly List<BpfInstruction> _instructions = [];
    private readonly Dictionary<string, int> _labels = [];
    private readonly List<(int Index, string Label)> _fixups = [];

    /// <summary>The instructions so far (jumps to labels not yet placed have offset 0).</summary>
    public IReadOnlyList<BpfInstruction> Instructions => _instructions;

    /// <summary><c>dst = src</c> (64-bit).</summary>
    public BpfAssembler Mov64(byte dst, byte src) => Emit(BpfOp.Alu64 | BpfOp.Mov | BpfOp.X, dst, src, 0, 0);

    /// <summary><c>dst = imm</c> (64-bit, sign-extended).</summary>
    public BpfAssembler Mov64(byte dst, int imm) => Emit(BpfOp.Alu64 | BpfOp.Mov | BpfOp.K, dst, 0, 0, imm);

    /// <summary><c>dst += imm</c> (64-bit).</summary>
    public BpfAssembler Add64(byte dst, int imm) => Emit(BpfOp.Alu64 | BpfOp.Add | BpfOp.K, dst, 0, 0, imm);

    /// <summary><c>w(dst) %= w(src)</c> (32-bit; the upper half of dst is zeroed).</summary>
    public BpfAssembler Mod32(byte dst, byte src) => Emit(BpfOp.Alu | BpfOp.Mod | BpfOp.X, dst, src, 0, 0);

    /// <summary><c>dst = *(u32 *)(src + off)</c>.</summary>
    public BpfAssembler LoadWord(byte dst, byte src, short off) => Emit(BpfOp.Ldx | BpfOp.Mem | BpfOp.W, dst, src, off, 0);

    /// <summary><c>*(u32 *)(dst + off) = src</c>.</summary>
    public BpfAssembler StoreWord(byte dst, short off, byte src) => Emit(BpfOp.Stx | BpfOp.Mem | BpfOp.W, dst, src, off, 0);

    /// <summary><c>lock *(u64 *)(dst + off) += src</c> (BPF_ATOMIC with BPF_ADD).</summary>
    public BpfAssembler AtomicAdd64(byte dst, short off, byte src) => Emit(BpfOp.Stx | BpfOp.Atomic | BpfOp.Dw, dst, src, off, BpfOp.Add);

    /// <summary><c>dst = map[fd]</c>: the two-slot 64-bit immediate load the kernel turns into the map's address.</summary>
    public BpfAssembler LoadMapFd(byte dst, int mapFd)
    {
        Emit(BpfOp.Ld | BpfOp.Imm | BpfOp.Dw, dst, BpfOp.PseudoMapFd, 0, mapFd);
        return Emit(0, 0, 0, 0, 0);
    }

    /// <summary><c>if dst == imm goto label</c>.</summary>
    public BpfAssembler JumpIfEqual(byte dst, int imm, string label) => Jump(BpfOp.Jmp | BpfOp.Jeq | BpfOp.K, dst, imm, label);

    /// <summary><c>if dst != imm goto label</c>.</summary>
    public BpfAssembler JumpIfNotEqual(byte dst, int imm, string label) => Jump(BpfOp.Jmp | BpfOp.Jne | BpfOp.K, dst, imm, label);

    /// <summary><c>call helper</c>: arguments in R1–R5, result in R0.</summary>
    public BpfAssembler Call(BpfHelper helper) => Emit(BpfOp.Jmp | BpfOp.Call, 0, 0, 0, (int)helper);

    /// <summary><c>exit</c>: returns R0.</summary>
    public BpfAssembler Exit() => Emit(BpfOp.Jmp | BpfOp.Exit, 0, 0, 0, 0);

    /// <summary>Places <paramref name="label"/> at the next instruction.</summary>
    public BpfAssembler Label(string label)
    {
        if (!_labels.TryAdd(label, _instructions.Count))
        {
            throw new InvalidOperationException($"label {label} placed twice");
        }
        return this;
    }

    /// <summary>The program's bytes, with every jump resolved; throws on a jump to a missing label or a backward one.</summary>
    public byte[] Assemble()
    {
        foreach (var (index, label) in _fixups)
        {
            if (!_labels.TryGetValue(label, out var target) || target <= index)
            {
                throw new InvalidOperationException($"jump at {index} to {label}: no such label after it");
            }
            _instructions[index] = _instructions[index] with { Offset = checked((short)(target - index - 1)) };
        }
        _fixups.Clear();
        var bytes = new byte[_instructions.Count * BpfInstruction.Size];
        for (var i = 0; i < _instructions.Count; i++)
        {
            _instructions[i].WriteTo(bytes.AsSpan(i * BpfInstruction.Size));
        }
        return bytes;
    }

    private BpfAssembler Jump(int opcode, byte dst, int imm, string label)
    {
        _fixups.Add((_instructions.Count, label));
        return Emit(opcode, dst, 0, 0, imm);
    }

    private BpfAssembler Emit(int opcode, byte dst, byte src, short off, int imm)
    {
        _instructions.Add(new BpfInstruction((byte)opcode, dst, src, off, imm));
        return this;
    }
}

/// <summary>Helper function numbers (enum bpf_func_id) the socket load balancer calls.</summary>
public enum BpfHelper
{
    MapLookupElem = 1,
    GetPrandomU32 = 7,
}
