using System.Buffers;
using System.Buffers.Binary;

namespace Hypha.Protocol.WebSocketFrames;

/// <summary>
/// The header in front of every WebSocket frame (RFC 6455 §5.2): FIN, three reserved bits, the opcode, the mask bit,
/// the payload length in 7, 7+16 or 7+64 bits, and the masking key when the mask bit is set. 2 to 14 bytes.
/// </summary>
/// <param name="Fin">True when this frame ends its message.</param>
/// <param name="Opcode">What the frame carries.</param>
/// <param name="PayloadLength">The payload bytes that follow the header.</param>
/// <param name="Masked">True when the payload is masked (every frame a client sends, none a server sends).</param>
/// <param name="MaskKey">The masking key, its four bytes read little-endian (see <see cref="WebSocketMask"/>).</param>
public readonly record struct WebSocketFrameHeader(bool Fin, WebSocketOpcode Opcode, long PayloadLength, bool Masked, uint MaskKey)
{
    /// <summary>The largest header: 2 bytes, a 64-bit length and a masking key.</summary>
    public const int MaxSize = 14;

    /// <summary>The largest payload of a control frame (close, ping, pong).</summary>
    public const int MaxControlPayload = 125;

    private const byte FinBit = 0x80;
    private const byte ReservedBits = 0x70;
    private const byte OpcodeBits = 0x0F;
    private const byte MaskBit = 0x80;
    private const byte LengthBits = 0x7F;
    private const byte Length16 = 126;
    private const byte Length64 = 127;

    /// <summary>True for close, ping and pong, which may come between the fragments of a message.</summary>
    public bool IsControl => IsControlOpcode(Opcode);

    /// <summary>This header's size in bytes.</summary>
    public int Size => SizeFor(PayloadLength, Masked);

    /// <summary>The size of the header of a frame with <paramref name="payloadLength"/> bytes.</summary>
    public static int SizeFor(long payloadLength, bool masked) =>
        (payloadLength < Length16 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10) + (masked ? 4 : 0);

    /// <summary>True for the control opcodes (the high bit of the opcode set).</summary>
    public static bool IsControlOpcode(WebSocketOpcode opcode) => ((byte)opcode & 0x8) != 0;

    /// <summary>Writes this header into <paramref name="destination"/> (at least <see cref="Size"/> bytes) with the shortest length encoding.</summary>
    /// <returns>The bytes written.</returns>
    public int Write(Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(PayloadLength);
        destination[0] = (byte)((Fin ? FinBit : 0) | (byte)Opcode);
        byte mask = Masked ? MaskBit : (byte)0;
        int size;
        if (PayloadLength < Length16)
        {
            destination[1] = (byte)(mask | PayloadLength);
            size = 2;
        }
        else if (PayloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(mask | Length16);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)PayloadLength);
            size = 4;
        }
        else
        {
            destination[1] = (byte)(mask | Length64);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)PayloadLength);
            size = 10;
        }

        if (Masked)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[size..], MaskKey);
            size += 4;
        }

        return size;
    }

    /// <summary>
    /// Writes a whole frame into <paramref name="output"/>: the header, then the payload, masked with
    /// <paramref name="maskKey"/> when it is given (a client's frames) and as it is otherwise (a server's). A large
    /// payload is copied in the pieces the writer hands out, so the writer never needs one buffer for all of it.
    /// </summary>
    public static void WriteFrame(IBufferWriter<byte> output, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool fin = true, uint? maskKey = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var header = new WebSocketFrameHeader(fin, opcode, payload.Length, maskKey.HasValue, maskKey ?? 0);
        Span<byte> span = output.GetSpan(Math.Min(header.Size + payload.Length, 4096));
        int size = header.Write(span);
        int offset = 0;
        while (true)
        {
            int count = Math.Min(span.Length - size, payload.Length - offset);
            if (maskKey is { } key)
            {
                WebSocketMask.Apply(payload.Slice(offset, count), span.Slice(size, count), key, offset);
            }
            else
            {
                payload.Slice(offset, count).CopyTo(span[size..]);
            }

            output.Advance(size + count);
            offset += count;
            if (offset == payload.Length)
            {
                return;
            }

            span = output.GetSpan();
            size = 0;
        }
    }

    /// <summary>
    /// Reads a header and checks every rule that needs no connection state: no reserved bit, a known opcode, control
    /// frames unfragmented and at most 125 bytes, a 64-bit length with its top bit clear, and the shortest length
    /// encoding. The length is not compared with any limit here; see <see cref="WebSocketMessageReader"/>.
    /// </summary>
    /// <returns>False when <paramref name="source"/> does not hold the whole header yet.</returns>
    /// <exception cref="WebSocketProtocolException">The header breaks a rule (close code 1002).</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, out WebSocketFrameHeader header)
    {
        header = default;
        if (source.Length < 2)
        {
            return false;
        }

        byte first = source[0];
        byte second = source[1];
        if ((first & ReservedBits) != 0)
        {
            throw Violation($"A frame with reserved bits 0x{first & ReservedBits:x2} set; no extension was negotiated");
        }

        var opcode = (WebSocketOpcode)(first & OpcodeBits);
        if (!Enum.IsDefined(opcode))
        {
            throw Violation($"A frame with the reserved opcode 0x{(byte)opcode:x}");
        }

        bool fin = (first & FinBit) != 0;
        bool masked = (second & MaskBit) != 0;
        int lengthCode = second & LengthBits;
        int lengthSize = lengthCode switch { Length16 => 2, Length64 => 8, _ => 0 };
        int size = 2 + lengthSize + (masked ? 4 : 0);
        if (source.Length < size)
        {
            return false;
        }

        long length = lengthCode switch
        {
            Length16 => ReadLength16(source),
            Length64 => ReadLength64(source),
            _ => lengthCode,
        };
        if (IsControlOpcode(opcode) && (!fin || length > MaxControlPayload))
        {
            throw Violation(fin
                ? $"A {opcode} frame of {length} bytes; control frames carry at most {MaxControlPayload}"
                : $"A fragmented {opcode} frame; control frames are never fragmented");
        }

        uint key = masked ? BinaryPrimitives.ReadUInt32LittleEndian(source[(2 + lengthSize)..]) : 0;
        header = new WebSocketFrameHeader(fin, opcode, length, masked, key);
        return true;
    }

    private static long ReadLength16(ReadOnlySpan<byte> source)
    {
        ushort length = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        return length >= Length16
            ? length
            : throw Violation($"A length of {length} in the 16-bit form; the shortest encoding is required");
    }

    private static long ReadLength64(ReadOnlySpan<byte> source)
    {
        ulong length = BinaryPrimitives.ReadUInt64BigEndian(source[2..]);
        if (length > long.MaxValue)
        {
            throw Violation("A 64-bit length with its most significant bit set");
        }

        return length > ushort.MaxValue
            ? (long)length
            : throw Violation($"A length of {length} in the 64-bit form; the shortest encoding is required");
    }

    private static WebSocketProtocolException Violation(string message) => new(WebSocketCloseCodes.ProtocolError, message);
}
