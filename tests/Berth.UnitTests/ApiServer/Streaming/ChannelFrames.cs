using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Berth.UnitTests.ApiServer.Streaming;

/// <summary>Client-side reading and writing of channel-protocol messages (binary: first byte is the channel).</summary>
internal static class ChannelFrames
{
    public static Task SendAsync(ClientWebSocket socket, byte channel, string text) =>
        SendAsync(socket, channel, Encoding.UTF8.GetBytes(text));

    public static async Task SendAsync(ClientWebSocket socket, byte channel, byte[] data) =>
        await socket.SendAsync((byte[])[channel, .. data], WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();

    /// <summary>Every message until the server closes: (channel, payload), plus the close status.</summary>
    public static async Task<(List<(byte Channel, string Text)> Messages, WebSocketCloseStatus? Close)> ReadAllAsync(ClientWebSocket socket)
    {
        var messages = new List<(byte, string)>();
        while (true)
        {
            var (type, data) = await ReceiveAsync(socket).DefaultTimeout();
            if (type == WebSocketMessageType.Close)
            {
                return (messages, socket.CloseStatus);
            }
            if (type == WebSocketMessageType.Text)
            {
                var text = Encoding.ASCII.GetString(data);
                messages.Add(((byte)(text[0] - '0'), Encoding.UTF8.GetString(Convert.FromBase64String(text[1..]))));
            }
            else
            {
                messages.Add((data[0], Encoding.UTF8.GetString(data, 1, data.Length - 1)));
            }
        }
    }

    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return (result.MessageType, []);
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>The concatenated payloads of one channel.</summary>
    public static string Channel(IEnumerable<(byte Channel, string Text)> messages, byte channel) =>
        string.Concat(messages.Where(m => m.Channel == channel).Select(m => m.Text));

    /// <summary>The single status message, parsed.</summary>
    public static JsonObject Status(IEnumerable<(byte Channel, string Text)> messages) =>
        JsonNode.Parse(messages.Single(m => m.Channel == 3 && m.Text.Length > 0).Text)!.AsObject();
}
