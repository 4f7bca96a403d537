using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Berth.ApiServer.Streaming.PortForward;

/// <summary>
/// SPDY/3 name/value header blocks (draft 3, §2.6.10): a 32-bit pair count, then length-prefixed lower-case names and
/// values, carried in one zlib stream per direction for the whole session, whose dictionary is
/// <see cref="SpdyDictionary"/>. Received blocks are inflated; sent blocks are stored (see <see cref="Store"/>).
/// </summary>
/// <remarks>
/// One instance per session. <see cref="Decode"/> is called only by the session's reader and <see cref="Encode"/> only
/// under the session's write lock, so neither needs locking of its own; the two zlib streams are independent.
/// A block that does not inflate or parse is a protocol error (<see cref="InvalidDataException"/>): the session ends.
/// </remarks>
internal sealed class SpdyHeaderCodec
{
    /// <summary>Cap on one block's uncompressed size: headers of port-forward streams are a few dozen bytes.</summary>
    private const int MaxBlockBytes = 64 * 1024;

    private readonly Inflater _inflater = new(noHeader: false);
    private bool _headerWritten;

    /// <summary>The Adler-32 of <see cref="SpdyDictionary.Bytes"/>, which the zlib header names.</summary>
    private static uint DictionaryId { get; } = Adler32(SpdyDictionary.Bytes);

    /// <summary>Inflates and parses one received block. Names are kept as sent; SPDY requires them lower-case.</summary>
    public Dictionary<string, string> Decode(ReadOnlySpan<byte> compressed)
    {
        var raw = Inflate(compressed);
        var reader = new BlockReader(raw);
        var count = reader.ReadLength();
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            headers[name] = reader.ReadString();
        }
        return headers;
    }

    /// <summary>Serialises one block to send (a SYN_REPLY's headers, at most 64 KiB).</summary>
    public byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var raw = new List<byte>(64);
        AppendLength(raw, headers.Count);
        foreach (var (name, value) in headers)
        {
            AppendString(raw, name);
            AppendString(raw, value);
        }
        ArgumentOutOfRangeException.ThrowIfGreaterThan(raw.Count, ushort.MaxValue, nameof(headers));
        return Store([.. raw]);
    }

    /// <summary>
    /// The next piece of the outgoing zlib stream: the zlib header naming the dictionary (first block only), then the
    /// block as one non-final stored deflate block and the empty stored block that ends a zlib sync flush, so every
    /// frame's block inflates completely within the frame. Blocks are tiny, so compression would gain nothing.
    /// </summary>
    private byte[] Store(byte[] raw)
    {
        using var output = new MemoryStream(raw.Length + 16);
        if (!_headerWritten)
        {
            // CMF 0x78 (deflate, 32 KiB window), FLG 0xBB (FDICT, FCHECK), then the dictionary's Adler-32.
            output.Write([0x78, 0xBB]);
            Span<byte> id = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(id, DictionaryId);
            output.Write(id);
            _headerWritten = true;
        }
        var length = (ushort)raw.Length;
        output.Write([0x00, (byte)length, (byte)(length >> 8), (byte)~length, (byte)(~length >> 8)]);
        output.Write(raw);
        // The empty stored block of a zlib sync flush: Go's inflater hands out a stored block's bytes only when it
        // reaches the next block header, which must therefore be inside the same frame.
        output.Write([0x00, 0x00, 0x00, 0xFF, 0xFF]);
        return output.ToArray();
    }

    private byte[] Inflate(ReadOnlySpan<byte> compressed)
    {
        _inflater.SetInput(compressed.ToArray());
        using var output = new MemoryStream();
        var buffer = new byte[1024];
        try
        {
            while (true)
            {
                var produced = _inflater.Inflate(buffer);
                if (produced > 0)
                {
                    output.Write(buffer, 0, produced);
                    if (output.Length > MaxBlockBytes)
                    {
                        throw new InvalidDataException($"SPDY header block larger than {MaxBlockBytes} bytes");
                    }
                    continue;
                }
                if (_inflater.IsNeedingDictionary)
                {
                    _inflater.SetDictionary(SpdyDictionary.Bytes);
                    continue;
                }
                if (_inflater.IsNeedingInput || _inflater.IsFinished)
                {
                    return output.ToArray();
                }
            }
        }
        catch (SharpZipBaseException e)
        {
            throw new InvalidDataException("SPDY header block does not inflate: " + e.Message, e);
        }
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (var value in data)
        {
            a = (a + value) % 65521;
            b = (b + a) % 65521;
        }
        return (b << 16) | a;
    }

    private static void AppendLength(List<byte> raw, int length)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, length);
        raw.AddRange(bytes.ToArray());
    }

    private static void AppendString(List<byte> raw, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendLength(raw, bytes.Length);
        raw.AddRange(bytes);
    }

    /// <summary>Bounds-checked reads over an inflated block.</summary>
    private ref struct BlockReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;

        public int ReadLength()
        {
            if (_data.Length - _at < 4)
            {
                throw new InvalidDataException("truncated SPDY header block");
            }
            var value = BinaryPrimitives.ReadUInt32BigEndian(_data[_at..]);
            _at += 4;
            return value <= MaxBlockBytes ? (int)value : throw new InvalidDataException("SPDY header length out of range");
        }

        public string ReadString()
        {
            var length = ReadLength();
            if (_data.Length - _at < length)
            {
                throw new InvalidDataException("truncated SPDY header block");
            }
            var value = Encoding.UTF8.GetString(_data.Slice(_at, length));
            _at += length;
            return value;
        }
    }
}
