using Hypha.Protocol.Native;

namespace Hypha.Transport.Multiplexing;

/// <summary>A whole message waiting for the application, with the credit to give back once it has been taken.</summary>
/// <param name="Channel">The channel it arrived on.</param>
/// <param name="Payload">The message.</param>
/// <param name="Credit">The window credit it still holds.</param>
/// <param name="Arrival">Its place in arrival order across channels (for delivery with priorities off).</param>
internal readonly record struct IncomingMessage(NativeChannel Channel, byte[] Payload, long Credit, long Arrival = 0);
