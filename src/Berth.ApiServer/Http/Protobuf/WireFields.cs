using Google.Protobuf;

namespace Berth.ApiServer.Http.Protobuf;

/// <summary>
/// The last value of each field of a small flat message, read without a descriptor (the special apimachinery types have
/// at most three scalar fields). Varint and length-delimited fields only; anything else is skipped.
/// </summary>
internal sealed class WireFields
{
    private readonly Dictionary<int, ulong> _varints = [];
    private readonly Dictionary<int, ByteString> _bytes = [];

    public static WireFields Read(ByteString message)
    {
        var fields = new WireFields();
        var input = message.CreateCodedInput();
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.Varint: fields._varints[number] = input.ReadUInt64(); break;
                case WireFormat.WireType.LengthDelimited: fields._bytes[number] = input.ReadBytes(); break;
                default: input.SkipLastField(); break;
            }
        }
        return fields;
    }

    /// <summary>A varint field as a signed 64-bit value (int32 and int64 share the two's complement encoding); 0 when absent.</summary>
    public long Int(int number) => unchecked((long)_varints.GetValueOrDefault(number));

    public ByteString Bytes(int number) => _bytes.GetValueOrDefault(number, ByteString.Empty);

    public string String(int number) => Bytes(number).ToStringUtf8();
}
