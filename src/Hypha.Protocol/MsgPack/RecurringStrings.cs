using System.Buffers.Binary;
using System.Text;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// The strings this thread decoded last for fields whose values recur from message to message (addresses, method
/// paths, the message type), so that reading the same bytes again returns the same instance instead of a new string.
/// Unlike <see cref="MsgPackStringPool"/> it learns: each slot keeps the last ASCII string whose bytes hash to it.
/// Per thread, so that it takes no lock; a miss costs the decode that would have happened anyway, and nothing more
/// (a slot holds the string alone, compared with the bytes directly).
/// </summary>
internal static class RecurringStrings
{
    /// <summary>Longer strings are decoded every time: the recurring ones are addresses and paths.</summary>
    public const int MaxByteLength = 128;

    private const int SlotBits = 6;
    private const int Slots = 1 << SlotBits;

    [ThreadStatic]
    private static string?[]? t_slots;

    /// <summary>The string of <paramref name="utf8"/>: the one remembered for the same bytes, or a new one, then remembered.</summary>
    /// <exception cref="DecoderFallbackException">The bytes are not valid UTF-8.</exception>
    public static string Get(ReadOnlySpan<byte> utf8, UTF8Encoding decoder)
    {
        string?[] slots = t_slots ??= new string?[Slots];
        ref string? slot = ref slots[SlotOf(utf8)];
        if (slot is { } known && known.Length == utf8.Length && Ascii.Equals(utf8, known))
        {
            return known;
        }

        string text = decoder.GetString(utf8);
        if (text.Length == utf8.Length)
        {
            // As many chars as bytes: ASCII, which the comparison above can match without decoding.
            slot = text;
        }

        return text;
    }

    // From the first and last 8 bytes and the length, not every byte: addresses differ at their end, session paths at
    // their start, and a hash over all of a 40-byte address cost more than the decode it saves.
    private static int SlotOf(ReadOnlySpan<byte> utf8)
    {
        ulong head;
        ulong tail;
        if (utf8.Length >= sizeof(ulong))
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(utf8);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(utf8[^sizeof(ulong)..]);
        }
        else
        {
            head = 0;
            foreach (byte b in utf8)
            {
                head = (head << 8) | b;
            }

            tail = 0;
        }

        ulong hash = (head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)utf8.Length;
        return (int)(hash >> (64 - SlotBits));
    }
}
