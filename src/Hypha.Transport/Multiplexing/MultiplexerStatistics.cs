namespace Hypha.Transport.Multiplexing;

/// <summary>What one native connection has carried so far (<see cref="Multiplexer.Statistics"/>).</summary>
/// <param name="BytesSent">Bytes written to the transport: frame headers and payloads, control frames included.</param>
/// <param name="BytesReceived">Bytes of whole frames read from the transport.</param>
/// <param name="MessagesCompressed">Messages sent compressed.</param>
/// <param name="BytesBeforeCompression">The original size of the messages sent compressed.</param>
/// <param name="BytesAfterCompression">Their size on the wire (the compressed payloads, without frame headers).</param>
/// <param name="MessagesNotShrunk">Messages the policy chose to compress that did not shrink, and went as they were.</param>
/// <param name="BinaryMessagesSent">Messages sent in the schema-compiled binary form.</param>
/// <param name="BinaryMessagesReceived">Messages received in the binary form.</param>
/// <param name="PeerSegmentBytesMapped">Bytes of the peer's shared-memory segments this side has mapped now (a gauge, not a total).</param>
public readonly record struct MultiplexerStatistics(
    long BytesSent,
    long BytesReceived,
    long MessagesCompressed,
    long BytesBeforeCompression,
    long BytesAfterCompression,
    long MessagesNotShrunk,
    long BinaryMessagesSent = 0,
    long BinaryMessagesReceived = 0,
    long PeerSegmentBytesMapped = 0);
