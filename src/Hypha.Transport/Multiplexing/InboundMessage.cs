using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>A whole message as the multiplexer hands it to the application.</summary>
/// <param name="Channel">The channel it arrived on: stream, rpc or bulk.</param>
/// <param name="Payload">The message; its bytes belong to the handler.</param>
/// <param name="Format">How the message is encoded.</param>
public readonly record struct InboundMessage(NativeChannel Channel, ReadOnlyMemory<byte> Payload, MessageFormat Format = MessageFormat.MsgPack);
