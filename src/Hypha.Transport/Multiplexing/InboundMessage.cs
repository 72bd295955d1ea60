using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Transport.Multiplexing;

/// <summary>A whole message as the multiplexer hands it to the application.</summary>
/// <param name="Channel">The channel it arrived on: stream, rpc or bulk.</param>
/// <param name="Payload">The message; its bytes belong to the handler.</param>
/// <param name="Format">How the message is encoded.</param>
public readonly record struct InboundMessage(NativeChannel Channel, ReadOnlyMemory<byte> Payload, MessageFormat Format = MessageFormat.MsgPack)
{
    /// <summary>
    /// The payloads a SHM_REF message referenced in shared memory, in order, or null: <see cref="Payload"/> is then the
    /// message's head, with a placeholder for each (docs/wire-format.md §9.3). The handler owns the leases: it opens
    /// them to read the bytes, and disposes each once done, which lets the sender reuse the region.
    /// </summary>
    public IReadOnlyList<SharedMemory.SharedMemoryLease>? Attachments { get; init; }

    /// <summary>
    /// For a message in the binary form (<see cref="MessageFormat.Schema"/>): the agreed schema it names, or null when
    /// its number names none (a peer that breaks the agreement: the message cannot be read, the connection goes on).
    /// <see cref="Payload"/> is then the body alone; its definitions are already in the channel's intern table.
    /// </summary>
    public SchemaOffer? Schema { get; init; }

    /// <summary>
    /// The array from <see cref="System.Buffers.ArrayPool{T}.Shared"/> that <see cref="Payload"/> lies in, or null. It is
    /// the handler's with the payload: a handler that knows nothing reads the payload any more (nor a slice of it, such
    /// as a decoded message's <c>any</c> values) may give it back to the pool, which spares the collector an array per
    /// message; left alone, it goes to the collector like any other array.
    /// </summary>
    public byte[]? PooledArray { get; init; }

    /// <summary>The schema number a binary message carried.</summary>
    public int SchemaNumber { get; init; }

    /// <summary>The intern table a binary message's body refers to (its channel's).</summary>
    public InternReceiveTable? Interns { get; init; }

    /// <summary>
    /// Decodes the body of a binary message of the generated type <typeparamref name="T"/>. Call it before the
    /// handler returns: later messages of the channel may replace the interned values it refers to.
    /// </summary>
    /// <exception cref="SchemaFormatException">The body does not decode, or the message is not of that schema.</exception>
    public T ReadBody<T>()
        where T : class, ISchemaMessage<T>
    {
        var reader = BodyReader<T>();
        return SchemaMessage.ReadBody<T>(ref reader);
    }

    /// <summary>
    /// Decodes the body of a binary message of the generated type <typeparamref name="T"/> into <paramref name="value"/>,
    /// replacing all of it; as <see cref="ReadBody{T}()"/>.
    /// </summary>
    /// <exception cref="SchemaFormatException">The body does not decode, or the message is not of that schema.</exception>
    public void ReadBody<T>(T value)
        where T : class, ISchemaMessage<T>
    {
        var reader = BodyReader<T>();
        SchemaMessage.ReadBody(ref reader, value);
    }

    private SchemaReader BodyReader<T>()
        where T : class, ISchemaMessage<T>
    {
        if (Schema is not { } schema || schema.Id != T.Schema.Id || schema.Fingerprint != T.Schema.Fingerprint)
        {
            throw new SchemaFormatException(
                $"The message names schema number {SchemaNumber} ({Schema?.Id ?? "not agreed"}), not {T.Schema.Id} ({T.Schema.Fingerprint})", 0);
        }

        return new SchemaReader(Payload, Interns);
    }

    /// <summary>Decodes the body of a binary message of a schema compiled at run time; as <see cref="ReadBody{T}()"/>.</summary>
    /// <exception cref="SchemaFormatException">The body does not decode.</exception>
    public SchemaRecord ReadBody(CompiledSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var reader = new SchemaReader(Payload, Interns);
        return schema.ReadBody(ref reader);
    }
}
