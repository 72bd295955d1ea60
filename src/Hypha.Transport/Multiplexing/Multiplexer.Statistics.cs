namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    private long _bytesSent;
    private long _bytesReceived;
    private long _messagesCompressed;
    private long _bytesBeforeCompression;
    private long _bytesAfterCompression;
    private long _messagesNotShrunk;
    private long _binaryMessagesSent;
    private long _binaryMessagesReceived;

    /// <summary>
    /// What this connection has carried so far: bytes each way, what compression saved, the binary form's use; and
    /// what it holds of the peer's shared memory now.
    /// </summary>
    public MultiplexerStatistics Statistics => new(
        Interlocked.Read(ref _bytesSent),
        Interlocked.Read(ref _bytesReceived),
        Interlocked.Read(ref _messagesCompressed),
        Interlocked.Read(ref _bytesBeforeCompression),
        Interlocked.Read(ref _bytesAfterCompression),
        Interlocked.Read(ref _messagesNotShrunk),
        Interlocked.Read(ref _binaryMessagesSent),
        Interlocked.Read(ref _binaryMessagesReceived),
        _mapped?.MappedBytes ?? 0);

    private void CountSent(int bytes) => Interlocked.Add(ref _bytesSent, bytes);

    private void CountReceived(int bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    private void CountCompressed(int original, int compressed)
    {
        Interlocked.Increment(ref _messagesCompressed);
        Interlocked.Add(ref _bytesBeforeCompression, original);
        Interlocked.Add(ref _bytesAfterCompression, compressed);
    }

    private void CountNotShrunk() => Interlocked.Increment(ref _messagesNotShrunk);

    private void CountBinarySent() => Interlocked.Increment(ref _binaryMessagesSent);

    private void CountBinaryReceived() => Interlocked.Increment(ref _binaryMessagesReceived);
}
