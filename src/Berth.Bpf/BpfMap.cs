using System.Buffers.Binary;
using System.Text;

namespace Berth.Bpf;

/// <summary>
/// A kernel map with fixed-size keys and values. Updates and deletes are single syscalls and atomic per element, so a
/// program running concurrently sees either the old or the new value of an element, never a mix.
/// Thread-safe (the kernel serialises element operations).
/// </summary>
public sealed class BpfMap : IDisposable
{
    private BpfMap(BpfHandle handle, int keySize, int valueSize)
    {
        Handle = handle;
        KeySize = keySize;
        ValueSize = valueSize;
    }

    public BpfHandle Handle { get; }

    public int KeySize { get; }

    public int ValueSize { get; }

    /// <summary>BPF_MAP_CREATE. <paramref name="name"/> shows in bpftool (at most 15 ASCII characters are kept).</summary>
    public static BpfMap Create(BpfMapType type, int keySize, int valueSize, int maxEntries, string name)
    {
        Span<byte> attr = stackalloc byte[BpfSyscall.AttrSize];
        attr.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(attr, (uint)type);
        BinaryPrimitives.WriteInt32LittleEndian(attr[4..], keySize);
        BinaryPrimitives.WriteInt32LittleEndian(attr[8..], valueSize);
        BinaryPrimitives.WriteInt32LittleEndian(attr[12..], maxEntries);
        WriteName(attr.Slice(28, 16), name); // map_flags @16, inner_map_fd @20, numa_node @24, map_name @28
        var fd = BpfSyscall.Invoke(BpfCommand.MapCreate, attr, "map create " + name);
        return new BpfMap(new BpfHandle(fd), keySize, valueSize);
    }

    /// <summary>BPF_MAP_UPDATE_ELEM with BPF_ANY: inserts or replaces. Throws when the map is full (E2BIG).</summary>
    public unsafe void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        CheckSizes(key, value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            BpfSyscall.Invoke(BpfCommand.MapUpdateElem, ElementAttr(k, v), "map update");
        }
    }

    /// <summary>BPF_MAP_DELETE_ELEM; false when the key was absent.</summary>
    public unsafe bool Delete(ReadOnlySpan<byte> key)
    {
        CheckSizes(key, null);
        fixed (byte* k = key)
        {
            return InvokeUnlessAbsent(BpfCommand.MapDeleteElem, ElementAttr(k, null), "map delete");
        }
    }

    /// <summary>BPF_MAP_LOOKUP_ELEM into <paramref name="value"/>; false when the key is absent.</summary>
    public unsafe bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value)
    {
        CheckSizes(key, value.Length);
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            return InvokeUnlessAbsent(BpfCommand.MapLookupElem, ElementAttr(k, v), "map lookup");
        }
    }

    public void Dispose() => Handle.Dispose();

    // union bpf_attr for element commands: map_fd @0, key @8, value/next_key @16, flags @24.
    private unsafe byte[] ElementAttr(byte* key, byte* value)
    {
        var attr = new byte[BpfSyscall.AttrSize];
        BinaryPrimitives.WriteInt32LittleEndian(attr, Handle.Fd);
        BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(8), (ulong)key);
        BinaryPrimitives.WriteUInt64LittleEndian(attr.AsSpan(16), (ulong)value);
        return attr;
    }

    private static bool InvokeUnlessAbsent(BpfCommand command, byte[] attr, string operation)
    {
        try
        {
            BpfSyscall.Invoke(command, attr, operation);
            return true;
        }
        catch (BpfException ex) when (BpfSyscall.IsNotFound(ex))
        {
            return false;
        }
    }

    // A value length of null: the command takes no value (delete).
    private void CheckSizes(ReadOnlySpan<byte> key, int? valueLength)
    {
        if (key.Length != KeySize || (valueLength is { } length && length != ValueSize))
        {
            throw new ArgumentException($"key must be {KeySize} bytes and value {ValueSize} bytes");
        }
    }

    internal static void WriteName(Span<byte> target, string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name);
        bytes.AsSpan(0, Math.Min(bytes.Length, target.Length - 1)).CopyTo(target);
    }
}
