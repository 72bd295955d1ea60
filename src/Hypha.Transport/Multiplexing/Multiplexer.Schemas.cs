using System.Buffers;
using Hypha.Protocol.Buffers;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Transport.Multiplexing;

public sealed partial class Multiplexer
{
    // Intern tables and encoding gates per channel (docs/schema-language.md §4): the channels are delivered
    // independently, so each has its own tables; a message is encoded and queued under its channel's gate, so the
    // definitions reach the wire in the order they were made.
    private readonly InternSendTable[] _sendInterns = [new(), new(), new(), new()];
    private readonly InternReceiveTable[] _receiveInterns = [new(), new(), new(), new()];
    private readonly Lock[] _encodeGates = [new(), new(), new(), new()];

    /// <summary>
    /// The place of a schema in the agreed list (<see cref="NativeAgreement.Schemas"/>), which names it in its
    /// binary messages; -1 when it was not agreed and its messages must go as msgpack.
    /// </summary>
    public int SchemaNumber(string id, string fingerprint)
    {
        IReadOnlyList<SchemaOffer> agreed = Agreement.Schemas;
        for (int i = 0; i < agreed.Count; i++)
        {
            if (agreed[i].Id == id && agreed[i].Fingerprint == fingerprint)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Sends <paramref name="message"/> in the binary form of its schema, which must have been agreed: its interned
    /// values go through the table of the channel it is sent on. An rpc message whose encoding is larger than the
    /// peer's frame goes on bulk, encoded against bulk's table. Otherwise as
    /// <see cref="SendAsync(NativeChannel, ReadOnlyMemory{byte}, MessageFormat, CancellationToken)"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The schema was not agreed with the peer.</exception>
    /// <exception cref="MultiplexerClosedException">The connection is closed.</exception>
    public Task SendAsync<T>(NativeChannel channel, T message, CancellationToken cancellationToken = default)
        where T : class, ISchemaMessage<T> =>
        WhenWritten(QueueSchema(channel, new GeneratedEncoding<T>(message)), cancellationToken);

    /// <summary>Sends a record of a schema compiled at run time in its binary form; as <see cref="SendAsync{T}"/>.</summary>
    /// <exception cref="InvalidOperationException">The schema was not agreed with the peer.</exception>
    /// <exception cref="MultiplexerClosedException">The connection is closed.</exception>
    public Task SendAsync(NativeChannel channel, CompiledSchema schema, SchemaRecord record, CancellationToken cancellationToken = default) =>
        WhenWritten(QueueSchema(channel, new RuntimeEncoding(schema, record)), cancellationToken);

    // The queue owns the bytes (a message's definitions cannot be taken back once later messages may use them, so it
    // is never withdrawn): cancelling only stops the wait.
    private static Task WhenWritten(Task written, CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled && !written.IsCompleted ? written.WaitAsync(cancellationToken) : written;

    // Encoded and queued before this returns, so the message's values are only read while the caller lends them, and
    // a closed connection throws here.
    private Task QueueSchema<TEncoding>(NativeChannel channel, TEncoding encoding)
        where TEncoding : ISchemaEncoding
    {
        int number = SchemaNumber(encoding.Info.Id, encoding.Info.Fingerprint);
        if (number < 0)
        {
            throw new InvalidOperationException($"Schema '{encoding.Info.Id}' ({encoding.Info.Fingerprint}) was not agreed with the peer.");
        }

        if (channel is NativeChannel.Control or > FrameHeader.LastChannel)
        {
            throw new ArgumentException("Messages go on the stream, rpc or bulk channel.", nameof(channel));
        }

        // The queue takes the encoded array (Detach), so the writer is left with a small one and is kept for this
        // thread's next message: one object less per message. Taken while in use, so a nested send makes its own.
        PooledBufferWriter buffer = t_encodeBuffer ?? new PooledBufferWriter(512);
        t_encodeBuffer = null;
        try
        {
            return EncodeAndQueue(channel, encoding, number, buffer, allowLarger: channel != NativeChannel.Rpc)
                ?? EncodeAndQueue(NativeChannel.Bulk, encoding, number, buffer, allowLarger: true)!;
        }
        finally
        {
            buffer.Clear();
            if (buffer.Capacity <= KeptEncodeBuffer)
            {
                t_encodeBuffer = buffer;
            }
            else
            {
                buffer.Dispose();
            }
        }
    }

    // What a thread's kept encoding buffer may hold: a compressed message leaves its (possibly large) array behind.
    private const int KeptEncodeBuffer = 64 * 1024;

    [ThreadStatic]
    private static PooledBufferWriter? t_encodeBuffer;

    // Encodes and queues under the channel's gate, so no other message's definitions come between. Null when the
    // message is too large for an rpc frame: its definitions are undone and it goes on bulk instead.
    private Task? EncodeAndQueue<TEncoding>(NativeChannel channel, TEncoding encoding, int number, PooledBufferWriter buffer, bool allowLarger)
        where TEncoding : ISchemaEncoding
    {
        int index = (int)channel;
        InternSendTable interns = _sendInterns[index];
        lock (_encodeGates[index])
        {
            buffer.Clear();
            encoding.Write(buffer, number, interns);
            if (!allowLarger && buffer.WrittenCount > Remote.MaxFrame)
            {
                interns.Abort();
                return null;
            }

            try
            {
                Task written = QueueEncoded(channel, buffer).Written;
                CountBinarySent();
                return written;
            }
            catch
            {
                interns.Abort();
                throw;
            }
        }
    }

    // Compressed when the policy says so, otherwise the encoded bytes themselves, handed over to the queue.
    private OutgoingMessage QueueEncoded(NativeChannel channel, PooledBufferWriter buffer)
    {
        if (buffer.WrittenCount > Remote.MaxMessage)
        {
            throw new ArgumentException($"A message of {buffer.WrittenCount} bytes is over the peer's maximum of {Remote.MaxMessage}.");
        }

        if (EnqueueCompressed(channel, buffer.WrittenMemory, FrameFlags.SchemaFormat) is { } compressed)
        {
            return compressed;
        }

        byte[] owned = buffer.Detach(out int length);
        try
        {
            return Enqueue(channel, owned.AsMemory(0, length), FrameFlags.SchemaFormat, owned);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(owned);
            throw;
        }
    }

    // A message in the binary form, as it arrives: the header is read here, in delivery order, so this side's intern
    // table follows the peer's whatever the application does with the body. A header that does not decode leaves the
    // tables out of step: the connection cannot go on.
    private InboundMessage OpenSchema(InboundMessage inbound)
    {
        if (inbound.Attachments is not null)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, "A SHM_REF message carries its head as msgpack, never in the binary form");
        }

        InternReceiveTable interns = _receiveInterns[(int)inbound.Channel];
        var reader = new SchemaReader(inbound.Payload, interns);
        int number;
        try
        {
            number = SchemaMessage.ReadHeader(ref reader);
        }
        catch (SchemaFormatException ex)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"A binary message's header does not decode: {ex.Message}");
        }

        CountBinaryReceived();
        SchemaOffer? schema = number < Agreement.Schemas.Count ? Agreement.Schemas[number] : null;
        return inbound with { Payload = inbound.Payload[reader.Consumed..], Schema = schema, SchemaNumber = number, Interns = interns };
    }

    /// <summary>How a message of one kind of schema codec is written.</summary>
    private interface ISchemaEncoding
    {
        SchemaInfo Info { get; }

        void Write(IBufferWriter<byte> output, int number, InternSendTable interns);
    }

    private readonly struct GeneratedEncoding<T>(T message) : ISchemaEncoding
        where T : class, ISchemaMessage<T>
    {
        public SchemaInfo Info => T.Schema;

        public void Write(IBufferWriter<byte> output, int number, InternSendTable interns) => SchemaMessage.Write(output, number, message, interns);
    }

    private readonly struct RuntimeEncoding(CompiledSchema schema, SchemaRecord record) : ISchemaEncoding
    {
        public SchemaInfo Info => schema.Info;

        public void Write(IBufferWriter<byte> output, int number, InternSendTable interns) => schema.WriteMessage(output, number, record, interns);
    }
}
