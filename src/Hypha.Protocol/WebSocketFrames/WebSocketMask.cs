using System.Numerics;
using System.Runtime.Intrinsics;

namespace Hypha.Protocol.WebSocketFrames;

/// <summary>
/// Payload masking (RFC 6455 §5.3): byte <c>i</c> of a payload is XORed with byte <c>i mod 4</c> of the key. The key
/// is held as a <see cref="uint"/> read little-endian from the wire, so its first byte is the low byte.
/// </summary>
public static class WebSocketMask
{
    /// <summary>
    /// Writes <paramref name="source"/> XOR the mask into <paramref name="destination"/> (the same span, or another of
    /// at least the same length). <paramref name="offset"/> is the position of <paramref name="source"/>'s first
    /// byte within the frame's payload, so a payload can be unmasked piece by piece as it arrives.
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> source, Span<byte> destination, uint key, long offset)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        // Rotated so that the mask's byte for position `offset` comes first.
        uint rotated = BitOperations.RotateRight(key, (int)(offset & 3) * 8);
        int i = 0;
        if (BitConverter.IsLittleEndian && Vector128.IsHardwareAccelerated && source.Length >= Vector128<byte>.Count)
        {
            Vector128<byte> mask = Vector128.Create(rotated).AsByte();
            for (; i <= source.Length - Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                (Vector128.Create(source[i..]) ^ mask).CopyTo(destination[i..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = (byte)(source[i] ^ (byte)(rotated >> ((i & 3) * 8)));
        }
    }
}
