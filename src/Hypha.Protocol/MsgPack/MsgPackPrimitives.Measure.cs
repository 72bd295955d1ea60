using System.Runtime.CompilerServices;

namespace Hypha.Protocol.MsgPack;

public static partial class MsgPackPrimitives
{
    /// <summary>
    /// Finds where the msgpack value at the start of <paramref name="source"/> ends, checking its structure without
    /// decoding it: the extent of a raw value (a schema's <c>any</c> field) in one pass over a span. Arrays and maps
    /// may nest at most <paramref name="maxDepth"/> deep.
    /// </summary>
    /// <returns><see cref="MsgPackReadStatus.Success"/> with the value's length; <see cref="MsgPackReadStatus.NeedMoreData"/>
    /// when the value runs past the end; <see cref="MsgPackReadStatus.Invalid"/> for the never-used code 0xc1 or
    /// nesting deeper than allowed.</returns>
    public static MsgPackReadStatus TryMeasureValue(ReadOnlySpan<byte> source, int maxDepth, out int length)
    {
        length = 0;
        if (!source.IsEmpty && TrySkipSmall(source, ref length))
        {
            return MsgPackReadStatus.Success;
        }

        MsgPackReadStatus status = Measure(source, maxDepth, ref length);
        if (status != MsgPackReadStatus.Success)
        {
            length = 0;
        }

        return status;
    }

    private static MsgPackReadStatus Measure(ReadOnlySpan<byte> source, int depthLeft, ref int offset)
    {
        if (offset >= source.Length)
        {
            return MsgPackReadStatus.NeedMoreData;
        }

        byte code = source[offset];
        if (code is >= MsgPackCode.MinFixStr and <= MsgPackCode.MaxFixStr)
        {
            // Callers try TrySkipSmall first, so a fixstr that reaches here runs past the end.
            return MsgPackReadStatus.NeedMoreData;
        }

        if (code is >= MsgPackCode.MinFixMap and <= MsgPackCode.MaxFixArray)
        {
            return MeasureItems(source, depthLeft, ref offset, 1, code <= MsgPackCode.MaxFixMap ? 2 * (code & 0x0f) : code & 0x0f);
        }

        ReadOnlySpan<byte> rest = source[offset..];
        MsgPackReadStatus status;
        int read;
        switch (MsgPackCode.ToType(rest[0]))
        {
            case MsgPackType.Nil:
            case MsgPackType.Boolean:
                offset++;
                return MsgPackReadStatus.Success;
            case MsgPackType.Integer:
                status = TryReadIntegerBits(rest, out _, out _, out read);
                return Advance(status, read, 0, source, ref offset);
            case MsgPackType.Float:
                status = TryReadDouble(rest, out _, out read);
                return Advance(status, read, 0, source, ref offset);
            case MsgPackType.String:
                status = TryReadStringHeader(rest, out uint textLength, out read);
                return Advance(status, read, textLength, source, ref offset);
            case MsgPackType.Binary:
                status = TryReadBinaryHeader(rest, out uint binaryLength, out read);
                return Advance(status, read, binaryLength, source, ref offset);
            case MsgPackType.Extension:
                status = TryReadExtensionHeader(rest, out ExtensionHeader header, out read);
                return Advance(status, read, header.Length, source, ref offset);
            case MsgPackType.Array:
            case MsgPackType.Map:
                return MeasureNested(source, depthLeft, ref offset);
            default:
                return MsgPackReadStatus.Invalid;
        }
    }

    private static MsgPackReadStatus MeasureNested(ReadOnlySpan<byte> source, int depthLeft, ref int offset)
    {
        ReadOnlySpan<byte> rest = source[offset..];
        bool isMap = MsgPackCode.ToType(rest[0]) == MsgPackType.Map;
        MsgPackReadStatus status = isMap ? TryReadMapHeader(rest, out uint count, out int read) : TryReadArrayHeader(rest, out count, out read);
        if (status != MsgPackReadStatus.Success)
        {
            return status;
        }

        return MeasureItems(source, depthLeft, ref offset, read, isMap ? 2L * count : count);
    }

    // The items of an array or map whose header of headerLength bytes starts at offset.
    private static MsgPackReadStatus MeasureItems(ReadOnlySpan<byte> source, int depthLeft, ref int offset, int headerLength, long items)
    {
        if (depthLeft <= 0)
        {
            return MsgPackReadStatus.Invalid;
        }

        offset += headerLength;

        // Every item takes at least one byte, so a count beyond what is left fails at once, whatever it declares.
        if (items > source.Length - offset)
        {
            return MsgPackReadStatus.NeedMoreData;
        }

        for (long i = 0; i < items; i++)
        {
            if (offset < source.Length && TrySkipSmall(source, ref offset))
            {
                continue;
            }

            MsgPackReadStatus status = Measure(source, depthLeft - 1, ref offset);
            if (status != MsgPackReadStatus.Success)
            {
                return status;
            }
        }

        return MsgPackReadStatus.Success;
    }

    // The one-byte formats and a whole fixstr, which small arguments are made of, without the general decoding of
    // Measure (which is recursive, so never inlined): true when the value at offset (which must exist) is one of
    // them, and offset then moves past it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TrySkipSmall(ReadOnlySpan<byte> source, ref int offset)
    {
        byte code = source[offset];
        if (code <= MsgPackCode.MaxPositiveFixInt || code >= MsgPackCode.MinNegativeFixInt || code is MsgPackCode.Nil or MsgPackCode.False or MsgPackCode.True)
        {
            offset++;
            return true;
        }

        if (code is >= MsgPackCode.MinFixStr and <= MsgPackCode.MaxFixStr && offset + 1 + (code & 0x1f) <= source.Length)
        {
            offset += 1 + (code & 0x1f);
            return true;
        }

        return false;
    }

    private static MsgPackReadStatus Advance(MsgPackReadStatus status, int headerLength, uint payloadLength, ReadOnlySpan<byte> source, ref int offset)
    {
        if (status != MsgPackReadStatus.Success)
        {
            return status;
        }

        long end = (long)offset + headerLength + payloadLength;
        if (end > source.Length)
        {
            return MsgPackReadStatus.NeedMoreData;
        }

        offset = (int)end;
        return MsgPackReadStatus.Success;
    }
}
