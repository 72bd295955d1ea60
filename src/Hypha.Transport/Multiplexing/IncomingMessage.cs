using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>A whole message waiting for the application, with the credit to give back once it has been taken.</summary>
internal readonly record struct IncomingMessage(NativeChannel Channel, byte[] Payload, long Credit);
