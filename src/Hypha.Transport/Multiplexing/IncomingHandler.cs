namespace Hypha.Transport.Multiplexing;

/// <summary>
/// Receives every whole message of a native connection, in arrival order within each channel. The next message is
/// delivered once the returned task completes, and only then does the message's window credit go back to the peer,
/// so a slow handler slows its peer down (backpressure) instead of making the connection buffer.
/// </summary>
/// <param name="message">The message, its channel and its format.</param>
public delegate ValueTask IncomingHandler(InboundMessage message);
