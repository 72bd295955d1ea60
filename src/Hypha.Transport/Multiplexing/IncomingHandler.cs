using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Receives every whole message of a native connection, in arrival order. The bytes belong to the handler. The
/// connection reads nothing more until the returned task completes, so a slow handler slows its peer down
/// (backpressure) instead of making the connection buffer.
/// </summary>
/// <param name="channel">The channel the message arrived on: stream, rpc or bulk.</param>
/// <param name="message">The whole message.</param>
public delegate ValueTask IncomingHandler(NativeChannel channel, ReadOnlyMemory<byte> message);
