using System.Buffers.Binary;
using System.Text;

namespace Berth.Bpf;

/// <summary>BPF_PROG_LOAD: hands assembled instructions to the verifier and returns the loaded program's handle.</summary>
public static class BpfProgram
{
    private const int LogSize = 64 * 1024;

    /// <summary>
    /// Loads <paramref name="instructions"/> (see <see cref="BpfAssembler.Build"/>). A refusal throws
    /// <see cref="BpfException"/> with the verifier's log. The maps the program references must stay open until the load
    /// returns; afterwards the program holds its own references to them.
    /// </summary>
    public static BpfHandle Load(BpfProgramType type, BpfAttachType expectedAttach, byte[] instructions, string name, string license = "Apache-2.0")
    {
        try
        {
            return Load(type, expectedAttach, instructions, name, license, log: null);
        }
        catch (BpfException ex) when (ex.Errno is 13 or 22)
        {
            // Refused: load again with a log buffer, only to explain why (as libbpf does; most loads need none).
            return Load(type, expectedAttach, instructions, name, license, new byte[LogSize]);
        }
    }

    private static unsafe BpfHandle Load(BpfProgramType type, BpfAttachType expectedAttach, byte[] instructions, string name, string license, byte[]? log)
    {
        var licenseBytes = Encoding.ASCII.GetBytes(license + "\0");
        fixed (byte* code = instructions)
        fixed (byte* lic = licenseBytes)
        fixed (byte* logBuffer = log)
        {
            Span<byte> attr = stackalloc byte[BpfSyscall.AttrSize];
            attr.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(attr, (uint)type);                        // prog_type
            BinaryPrimitives.WriteInt32LittleEndian(attr[4..], instructions.Length / 8);       // insn_cnt
            BinaryPrimitives.WriteUInt64LittleEndian(attr[8..], (ulong)code);                  // insns
            BinaryPrimitives.WriteUInt64LittleEndian(attr[16..], (ulong)lic);                  // license
            if (log is not null)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(attr[24..], 1);                       // log_level
                BinaryPrimitives.WriteUInt32LittleEndian(attr[28..], LogSize);                 // log_size
                BinaryPrimitives.WriteUInt64LittleEndian(attr[32..], (ulong)logBuffer);        // log_buf
            }
            BpfMap.WriteName(attr.Slice(48, 16), name);                                         // prog_name
            BinaryPrimitives.WriteUInt32LittleEndian(attr[68..], (uint)expectedAttach);        // expected_attach_type
            var fd = BpfSyscall.Invoke(BpfCommand.ProgLoad, attr, "program load " + name, log is null ? null : () => ReadLog(log));
            return new BpfHandle(fd);
        }
    }

    private static string ReadLog(byte[] log)
    {
        var end = Array.IndexOf(log, (byte)0);
        var text = Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end);
        return text.Length > 4000 ? text[^4000..] : text;
    }
}
