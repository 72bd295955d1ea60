using System.Buffers;
using System.Buffers.Binary;

namespace Hypha.Protocol.Native;

/// <summary>
/// The 8-byte header in front of every native frame: payload length (u32 LE), channel, flags, two reserved bytes
/// (docs/wire-format.md §3.1).
/// </summary>
/// <param name="Length">The payload bytes that follow the header.</param>
/// <param name="Channel">The channel the frame belongs to.</param>
/// <param name="Flags">END and the message-wide flags.</param>
public readonly record struct FrameHeader(int Length, NativeChannel Channel, FrameFlags Flags)
{
    /// <summary>The header's size in bytes.</summary>
    public const int Size = 8;

    /// <summary>The highest channel number of this version.</summary>
    public const NativeChannel LastChannel = NativeChannel.Bulk;

    /// <summary>True when this frame ends its message.</summary>
    public bool IsEnd => (Flags & FrameFlags.End) != 0;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Length);
        destination[4] = (byte)Channel;
        destination[5] = (byte)Flags;
        destination[6] = 0;
        destination[7] = 0;
    }

    /// <summary>Writes a whole frame, this header's length taken from <paramref name="payload"/>, into <paramref name="output"/>.</summary>
    public static void WriteFrame(IBufferWriter<byte> output, NativeChannel channel, FrameFlags flags, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> span = output.GetSpan(Size + payload.Length);
        new FrameHeader(payload.Length, channel, flags).Write(span);
        payload.CopyTo(span[Size..]);
        output.Advance(Size + payload.Length);
    }

    /// <summary>
    /// Reads and checks a header: known channel, no reserved bits, no flag outside <paramref name="allowedFlags"/>,
    /// and a length of at most <paramref name="maxFrame"/>, so nothing is allocated for an oversized frame.
    /// </summary>
    /// <exception cref="NativeProtocolException">The header breaks one of those rules.</exception>
    public static FrameHeader Read(ReadOnlySpan<byte> source, int maxFrame, FrameFlags allowedFlags)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(source);
        byte channel = source[4];
        var flags = (FrameFlags)source[5];
        if (channel > (byte)LastChannel)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, $"Unknown channel {channel}");
        }

        if ((flags & ~(allowedFlags | FrameFlags.End)) != 0)
        {
            throw new NativeProtocolException(
                NativeErrorCode.ProtocolError, $"Flags 0x{(byte)flags:x2} on channel {channel} use a bit that is reserved or was not negotiated");
        }

        if (source[6] != 0 || source[7] != 0)
        {
            throw new NativeProtocolException(NativeErrorCode.ProtocolError, "The header's reserved bytes are not zero");
        }

        if (length > (uint)maxFrame)
        {
            throw new NativeProtocolException(
                NativeErrorCode.FrameTooLarge, $"A frame of {length} bytes on channel {channel} is over the maximum of {maxFrame}");
        }

        return new FrameHeader((int)length, (NativeChannel)channel, flags);
    }
}
