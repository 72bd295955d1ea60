using System.Text;
using Hypha.Protocol.MsgPack;

namespace Hypha.Protocol.Schemas;

/// <summary>
/// The receiving side of one intern table: it stores what the sender defines, in the slots the sender names, and
/// hands the values back for references. Values are decoded once, when defined, so a reference costs no allocation.
/// Memory is bounded by <see cref="InternLimits"/> whatever the peer sends.
/// </summary>
public sealed class InternReceiveTable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly object?[] _slots = new object?[InternLimits.Capacity];

    /// <summary>Stores a definition.</summary>
    /// <exception cref="SchemaFormatException">A slot out of range, a value too long, invalid UTF-8, or not one msgpack value.</exception>
    public void Define(int slot, InternKind kind, ReadOnlySpan<byte> value, int offset)
    {
        if ((uint)slot >= InternLimits.Capacity)
        {
            throw new SchemaFormatException($"Intern slot {slot} is outside the table of {InternLimits.Capacity}", offset);
        }

        if (value.Length > InternLimits.MaxEntryBytes)
        {
            throw new SchemaFormatException($"An interned value of {value.Length} bytes is over the limit of {InternLimits.MaxEntryBytes}", offset);
        }

        if (kind == InternKind.Text)
        {
            try
            {
                _slots[slot] = StrictUtf8.GetString(value);
            }
            catch (DecoderFallbackException ex)
            {
                throw new SchemaFormatException("An interned string is not valid UTF-8", offset, ex);
            }

            return;
        }

        try
        {
            _slots[slot] = RawMsgPack.Create(value.ToArray());
        }
        catch (MsgPackException ex)
        {
            throw new SchemaFormatException($"An interned msgpack value is not one well-formed value: {ex.Message}", offset, ex);
        }
    }

    /// <summary>The string in <paramref name="slot"/>.</summary>
    /// <exception cref="SchemaFormatException">The slot was never defined, or holds a msgpack value.</exception>
    public string Text(int slot, int offset) =>
        (uint)slot < InternLimits.Capacity && _slots[slot] is string text
            ? text
            : throw new SchemaFormatException($"Intern slot {slot} holds no string", offset);

    /// <summary>The msgpack value in <paramref name="slot"/>.</summary>
    /// <exception cref="SchemaFormatException">The slot was never defined, or holds a string.</exception>
    public RawMsgPack MsgPack(int slot, int offset) =>
        (uint)slot < InternLimits.Capacity && _slots[slot] is RawMsgPack value
            ? value
            : throw new SchemaFormatException($"Intern slot {slot} holds no msgpack value", offset);
}
