namespace Berth.ApiServer.Streaming.WebSockets;

/// <summary>
/// The WebSocket subprotocols of the Kubernetes remote command stream: every message carries one channel (0 stdin,
/// 1 stdout, 2 stderr, 3 status, 4 resize; v5 adds 255 = close a channel). Binary protocols put the channel in the
/// first byte; the base64 variant sends text messages whose first character is the channel digit and whose rest is
/// base64. Only v4 and later are served: their status channel carries a JSON Status (older ones send plain text).
/// Mirrors k8s.io/apimachinery pkg/util/remotecommand/constants.go and k8s.io/apiserver pkg/util/wsstream/conn.go.
/// </summary>
internal sealed record ChannelProtocol(string Name, bool Binary, bool SupportsClose)
{
    public const byte StdinChannel = 0;
    public const byte StdoutChannel = 1;
    public const byte StderrChannel = 2;
    public const byte StatusChannel = 3;
    public const byte ResizeChannel = 4;
    public const byte CloseChannel = 255;

    public static readonly ChannelProtocol V5 = new("v5.channel.k8s.io", Binary: true, SupportsClose: true);

    public static readonly ChannelProtocol V4 = new("v4.channel.k8s.io", Binary: true, SupportsClose: false);

    public static readonly ChannelProtocol V4Base64 = new("v4.base64.channel.k8s.io", Binary: false, SupportsClose: false);

    public static IReadOnlyList<ChannelProtocol> Supported { get; } = [V5, V4, V4Base64];

    /// <summary>The first protocol in the client's list that is served (the client's preference wins), or null.</summary>
    public static ChannelProtocol? Negotiate(IEnumerable<string> requested) => requested
        .Select(r => Supported.FirstOrDefault(p => p.Name.Equals(r, StringComparison.OrdinalIgnoreCase)))
        .FirstOrDefault(p => p is not null);

    /// <summary>One outgoing message for <paramref name="channel"/>.</summary>
    public byte[] Encode(byte channel, ReadOnlySpan<byte> data)
    {
        if (Binary)
        {
            var message = new byte[data.Length + 1];
            message[0] = channel;
            data.CopyTo(message.AsSpan(1));
            return message;
        }
        return System.Text.Encoding.ASCII.GetBytes((char)('0' + channel) + Convert.ToBase64String(data));
    }

    /// <summary>Splits an incoming message into channel and payload; false for an empty or malformed message.</summary>
    public bool TryDecode(ReadOnlyMemory<byte> message, out byte channel, out ReadOnlyMemory<byte> payload)
    {
        (channel, payload) = (0, ReadOnlyMemory<byte>.Empty);
        if (message.IsEmpty)
        {
            return false;
        }
        if (Binary)
        {
            (channel, payload) = (message.Span[0], message[1..]);
            return true;
        }
        var digit = message.Span[0] - '0';
        if (digit is < 0 or > 9)
        {
            return false;
        }
        try
        {
            channel = (byte)digit;
            payload = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(message.Span[1..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
