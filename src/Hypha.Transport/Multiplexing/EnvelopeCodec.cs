using Hypha.Protocol.Messages;
using Hypha.Protocol.Native;
using Hypha.Protocol.Schemas;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// The built-in envelopes on one native connection (docs/wire-format.md §7): a hypha message goes in the binary form
/// of <c>rpc_method_v4</c> when the peer agreed it, and an answer that carries a stream's item as a
/// <c>stream_item</c> when the peer agreed that too; otherwise the caller sends the hypha frame.
/// </summary>
public sealed class EnvelopeCodec
{
    private readonly Multiplexer _mux;

    /// <summary>Reads what the connection's agreement allows.</summary>
    public EnvelopeCodec(Multiplexer mux)
    {
        _mux = mux ?? throw new ArgumentNullException(nameof(mux));
        UsesBinary = mux.SchemaNumber(RpcMethodV4.Schema.Id, RpcMethodV4.Schema.Fingerprint) >= 0;
        UsesStreamItems = mux.SchemaNumber(StreamItem.Schema.Id, StreamItem.Schema.Fingerprint) >= 0;
    }

    /// <summary>True when messages go in the binary form of <c>rpc_method_v4</c>.</summary>
    public bool UsesBinary { get; }

    /// <summary>True when a stream's answers go as <c>stream_item</c>s.</summary>
    public bool UsesStreamItems { get; }

    /// <summary>
    /// Queues <paramref name="message"/> in a binary form the peer agreed, and returns the task of its write; null when
    /// it must go as a hypha frame. The message's values are read before this returns.
    /// </summary>
    /// <exception cref="MultiplexerClosedException">The connection is closed.</exception>
    public Task? TrySend(NativeChannel channel, RpcMethodV4 message, CancellationToken cancellationToken = default)
    {
        if (channel == NativeChannel.Stream && UsesStreamItems && StreamItems.TryFrom(message) is { } item)
        {
            return _mux.SendAsync(channel, item, cancellationToken);
        }

        return UsesBinary ? _mux.SendAsync(channel, message, cancellationToken) : null;
    }

    /// <summary>
    /// The hypha message a binary message of a built-in schema stands for; null when it names another schema (or
    /// none). Read it before the handler returns.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <param name="into">
    /// An instance to read an <c>rpc_method_v4</c> into, replacing all of it (a stream item still becomes a new
    /// message), or null for a new one.
    /// </param>
    /// <exception cref="SchemaFormatException">The body does not decode.</exception>
    public static RpcMethodV4? TryRead(InboundMessage message, RpcMethodV4? into = null)
    {
        if (message.Schema is not { } schema)
        {
            return null;
        }

        if (EnvelopeSchemas.IsBuiltIn(schema))
        {
            if (into is null)
            {
                return message.ReadBody<RpcMethodV4>();
            }

            message.ReadBody(into);
            return into;
        }

        return EnvelopeSchemas.IsStreamItem(schema) ? StreamItems.ToMessage(message.ReadBody<StreamItem>()) : null;
    }
}
