using System.Text;

namespace Berth.UnitTests.Kubelet.Streaming;

/// <summary>A write-only stream that collects bytes thread-safely, for watching a follow in progress.</summary>
internal sealed class SyncOutput : Stream
{
    private readonly MemoryStream _data = new();
    private readonly Lock _gate = new();

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return Encoding.UTF8.GetString(_data.ToArray());
            }
        }
    }

    public int Flushes { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            _data.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            Flushes++;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
