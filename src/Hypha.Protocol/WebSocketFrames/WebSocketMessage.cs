namespace Hypha.Protocol.WebSocketFrames;

/// <summary>
/// One thing a <see cref="WebSocketMessageReader"/> read: a whole text or binary message (its fragments joined and
/// unmasked), or a control frame.
/// </summary>
/// <param name="Type"><see cref="WebSocketOpcode.Text"/>, <see cref="WebSocketOpcode.Binary"/>, or a control opcode.</param>
/// <param name="Payload">The unmasked payload. It lives in the reader's buffer: valid until the reader's next read.</param>
/// <param name="CloseCode">For a close: the status code, or <see cref="WebSocketCloseCodes.NoStatus"/>; 0 otherwise.</param>
/// <param name="CloseReason">For a close: the reason (possibly empty); null otherwise.</param>
public readonly record struct WebSocketMessage(WebSocketOpcode Type, ReadOnlyMemory<byte> Payload, int CloseCode = 0, string? CloseReason = null);
