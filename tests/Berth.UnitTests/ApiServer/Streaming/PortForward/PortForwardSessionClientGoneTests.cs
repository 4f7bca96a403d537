using System.Net;
using System.Net.WebSockets;
using Berth.ApiServer.Streaming.PortForward;
using Microsoft.Extensions.Logging.Abstractions;

namespace Berth.UnitTests.ApiServer.Streaming.PortForward;

/// <summary>
/// kubectl 1.31+ tunnels the SPDY session inside a WebSocket; when the user stops `kubectl port-forward` (Ctrl-C) the
/// socket closes without a close handshake, and the transport throws <see cref="WebSocketException"/>. That is the
/// client going away, not a server error: the session must end quietly (it used to escape as an unhandled error).
/// </summary>
public sealed class PortForwardSessionClientGoneTests
{
    [Fact]
    public async Task WebSocketClosedWithoutHandshake_SessionEndsWithoutThrowing()
    {
        using var transport = new ThrowingStream();
        var session = new PortForwardSession(transport, IPAddress.Loopback, "default/web", NullLogger.Instance);

        await session.RunAsync(CancellationToken.None).DefaultTimeout();

        Assert.True(transport.ReadAttempted);
    }

    private sealed class ThrowingStream : Stream
    {
        public bool ReadAttempted { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ReadAttempted = true;
            return ValueTask.FromException<int>(new WebSocketException(WebSocketError.ConnectionClosedPrematurely,
                "The remote party closed the WebSocket connection without completing the close handshake."));
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new WebSocketException(WebSocketError.ConnectionClosedPrematurely));

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
