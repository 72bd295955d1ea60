using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// Reads msgpack from a <see cref="ReadOnlySequence{T}"/>, across segment boundaries. Values are decoded from the
/// current segment directly; only a header that straddles two segments is first copied to the stack.
/// Every malformed, truncated or over-limit input throws <see cref="MsgPackException"/> and nothing else.
/// The reader is a value type: a copy is an independent cursor, which makes peeking free.
/// </summary>
public ref struct MsgPackReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SequenceReader<byte> _reader;
    private readonly MsgPackReaderOptions _options;
    private long _entriesRead;

    /// <summary>Creates a reader over <paramref name="input"/>.</summary>
    /// <exception cref="MsgPackException">The input is larger than <see cref="MsgPackReaderOptions.MaxTotalSize"/>.</exception>
    public MsgPackReader(ReadOnlySequence<byte> input, MsgPackReaderOptions? options = null)
    {
        _options = options ?? MsgPackReaderOptions.Default;
        if (input.Length > _options.MaxTotalSize)
        {
            throw TooLargeError(input.Length, _options.MaxTotalSize);
        }

        _reader = new SequenceReader<byte>(input);
        _entriesRead = 0;
        Depth = 0;
    }

    /// <summary>Creates a reader over contiguous memory.</summary>
    public MsgPackReader(ReadOnlyMemory<byte> input, MsgPackReaderOptions? options = null)
        : this(new ReadOnlySequence<byte>(input), options)
    {
    }

    /// <summary>The limits this reader enforces.</summary>
    public readonly MsgPackReaderOptions Options => _options;

    /// <summary>The whole input.</summary>
    public readonly ReadOnlySequence<byte> Sequence => _reader.Sequence;

    /// <summary>The position of the next unread byte.</summary>
    public readonly SequencePosition Position => _reader.Position;

    /// <summary>The number of bytes read so far.</summary>
    public readonly long Consumed => _reader.Consumed;

    /// <summary>The number of bytes left.</summary>
    public readonly long Remaining => _reader.Remaining;

    /// <summary>True when every byte has been read.</summary>
    public readonly bool End => _reader.End;

    /// <summary>
    /// The current nesting depth, maintained by code that descends into arrays and maps through
    /// <see cref="EnterNested"/> and <see cref="LeaveNested"/>.
    /// </summary>
    public int Depth { get; private set; }

    /// <summary>The format byte of the next value.</summary>
    /// <exception cref="MsgPackException">The input has ended.</exception>
    public readonly byte NextCode
    {
        get
        {
            if (!_reader.TryPeek(out byte code))
            {
                throw Error("Unexpected end of input: expected a value");
            }

            return code;
        }
    }

    /// <summary>The family of the next value.</summary>
    public readonly MsgPackType NextType => MsgPackCode.ToType(NextCode);

    /// <summary>Records one more level of nesting; throws when that exceeds <see cref="MsgPackReaderOptions.MaxDepth"/>.</summary>
    public void EnterNested()
    {
        if (Depth >= _options.MaxDepth)
        {
            throw DepthError();
        }

        Depth++;
    }

    /// <summary>Undoes one <see cref="EnterNested"/>.</summary>
    public void LeaveNested() => Depth--;

    /// <summary>Reads nil if it is next, and tells whether it was.</summary>
    public bool TryReadNil()
    {
        if (_reader.TryPeek(out byte code) && code == MsgPackCode.Nil)
        {
            _reader.Advance(1);
            return true;
        }

        return false;
    }

    /// <summary>Reads nil.</summary>
    public void ReadNil()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadNil(_reader.UnreadSpan, out int n);
        Advance(status, n, "nil");
    }

    /// <summary>Reads true or false.</summary>
    public bool ReadBoolean()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadBoolean(_reader.UnreadSpan, out bool value, out int n);
        Advance(status, n, "a boolean");
        return value;
    }

    /// <summary>Reads any integer format as a signed 64-bit value.</summary>
    public long ReadInt64()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadInt64(_reader.UnreadSpan, out long value, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadInt64(Window(straddle), out value, out n);
        }

        Advance(status, n, "a signed 64-bit integer");
        return value;
    }

    /// <summary>Reads any integer format as an unsigned 64-bit value.</summary>
    public ulong ReadUInt64()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadUInt64(_reader.UnreadSpan, out ulong value, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadUInt64(Window(straddle), out value, out n);
        }

        Advance(status, n, "an unsigned 64-bit integer");
        return value;
    }

    /// <summary>Reads an integer as raw bits; see <see cref="MsgPackPrimitives.TryReadIntegerBits"/>.</summary>
    public ulong ReadIntegerBits(out bool isSigned)
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadIntegerBits(_reader.UnreadSpan, out ulong bits, out isSigned, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadIntegerBits(Window(straddle), out bits, out isSigned, out n);
        }

        Advance(status, n, "an integer");
        return bits;
    }

    /// <summary>Reads an integer that must fit in 32 bits.</summary>
    public int ReadInt32()
    {
        long start = Consumed;
        long value = ReadInt64();
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new MsgPackException($"The integer {value} does not fit in a 32-bit integer", start);
        }

        return (int)value;
    }

    /// <summary>Reads a float 64, a float 32 or an integer as a double.</summary>
    public double ReadDouble()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadDouble(_reader.UnreadSpan, out double value, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadDouble(Window(straddle), out value, out n);
        }

        Advance(status, n, "a number");
        return value;
    }

    /// <summary>Reads a float 32, a float 64 or an integer as a single.</summary>
    public float ReadSingle()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadSingle(_reader.UnreadSpan, out float value, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadSingle(Window(straddle), out value, out n);
        }

        Advance(status, n, "a number");
        return value;
    }

    /// <summary>Reads a str header and checks that the declared bytes are present.</summary>
    public int ReadStringHeader()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadStringHeader(_reader.UnreadSpan, out uint length, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadStringHeader(Window(straddle), out length, out n);
        }

        return CheckedBody(status, n, length, "a string");
    }

    /// <summary>Reads a bin header and checks that the declared bytes are present.</summary>
    public int ReadBinaryHeader()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadBinaryHeader(_reader.UnreadSpan, out uint length, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadBinaryHeader(Window(straddle), out length, out n);
        }

        return CheckedBody(status, n, length, "binary data");
    }

    /// <summary>Reads an extension header and checks that the declared bytes are present.</summary>
    public ExtensionHeader ReadExtensionHeader()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadExtensionHeader(_reader.UnreadSpan, out ExtensionHeader header, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadExtensionHeader(Window(straddle), out header, out n);
        }

        CheckedBody(status, n, header.Length, "an extension");
        return header;
    }

    /// <summary>Reads an array header; the count is checked against the limits and the bytes left.</summary>
    public int ReadArrayHeader()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadArrayHeader(_reader.UnreadSpan, out uint count, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadArrayHeader(Window(straddle), out count, out n);
        }

        return CheckedCount(status, n, count, 1, "an array");
    }

    /// <summary>Reads a map header; the pair count is checked against the limits and the bytes left.</summary>
    public int ReadMapHeader()
    {
        MsgPackReadStatus status = MsgPackPrimitives.TryReadMapHeader(_reader.UnreadSpan, out uint count, out int n);
        if (status == MsgPackReadStatus.NeedMoreData)
        {
            StraddleBytes straddle = default;
            status = MsgPackPrimitives.TryReadMapHeader(Window(straddle), out count, out n);
        }

        return CheckedCount(status, n, count, 2, "a map");
    }

    /// <summary>Reads a str as a .NET string, or nil as null. Invalid UTF-8 is malformed input.</summary>
    public string? ReadString() => ReadString(recurring: false);

    /// <summary>
    /// Reads a str whose value recurs from message to message (an address, a method path), or nil as null: the
    /// instance this thread read last for the same bytes when there is one, so that the recurring values of a stream
    /// of messages cost no string each. Invalid UTF-8 is malformed input.
    /// </summary>
    public string? ReadRecurringString() => ReadString(recurring: true);

    // The pool's shared instance first; then, for a recurring value, the per-thread cache; else a new string.
    private string? ReadString(bool recurring)
    {
        if (TryReadNil())
        {
            return null;
        }

        long start = Consumed;
        int length = ReadStringHeader();
        ReadOnlySpan<byte> unread = _reader.UnreadSpan[..Math.Min(length, _reader.UnreadSpan.Length)];
        try
        {
            string value = unread.Length < length ? StrictUtf8.GetString(_reader.UnreadSequence.Slice(0, length))
                : _options.StringPool is { } pool && pool.TryGet(unread, out string? pooled) ? pooled
                : recurring && length <= RecurringStrings.MaxByteLength ? RecurringStrings.Get(unread, StrictUtf8)
                : StrictUtf8.GetString(unread);
            _reader.Advance(length);
            return value;
        }
        catch (DecoderFallbackException ex)
        {
            throw new MsgPackException("The string is not valid UTF-8", start, ex);
        }
    }

    /// <summary>Reads a str and returns its UTF-8 bytes without decoding or copying them.</summary>
    public ReadOnlySequence<byte> ReadStringSequence()
    {
        int length = ReadStringHeader();
        return TakeBody(length);
    }

    /// <summary>Reads a bin without copying it, or nil as null.</summary>
    public ReadOnlySequence<byte>? ReadBytes()
    {
        if (TryReadNil())
        {
            return null;
        }

        int length = ReadBinaryHeader();
        return TakeBody(length);
    }

    /// <summary>Reads a whole extension value; the data is returned without copying.</summary>
    public ReadOnlySequence<byte> ReadExtension(out ExtensionHeader header)
    {
        header = ReadExtensionHeader();
        return TakeBody((int)header.Length);
    }

    /// <summary>Reads a timestamp extension in any of its three sizes.</summary>
    public MsgPackTimestamp ReadTimestamp()
    {
        long start = Consumed;
        ReadOnlySequence<byte> data = ReadExtension(out ExtensionHeader header);
        if (header.TypeCode != MsgPackCode.TimestampExtensionType)
        {
            throw new MsgPackException($"Expected a timestamp but found an extension of type {header.TypeCode}", start);
        }

        Span<byte> buffer = stackalloc byte[12];
        ReadOnlySpan<byte> bytes = data.IsSingleSegment ? data.FirstSpan : CopyTo(data, buffer);
        MsgPackReadStatus status = MsgPackPrimitives.TryDecodeTimestamp(bytes, out MsgPackTimestamp value);
        if (status != MsgPackReadStatus.Success)
        {
            throw new MsgPackException(
                $"Invalid timestamp: {header.Length} data bytes (4, 8 or 12 expected, nanoseconds below one second)", start);
        }

        return value;
    }

    /// <summary>Reads a timestamp extension as a UTC <see cref="DateTime"/>.</summary>
    public DateTime ReadDateTime()
    {
        long start = Consumed;
        MsgPackTimestamp timestamp = ReadTimestamp();
        try
        {
            return timestamp.ToDateTime();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new MsgPackException($"The timestamp {timestamp} is outside the range of DateTime", start, ex);
        }
    }

    /// <summary>Returns the bytes of the next whole value without decoding it, and moves past it.</summary>
    public ReadOnlySequence<byte> ReadRaw()
    {
        SequencePosition start = _reader.Position;
        Skip();
        return _reader.Sequence.Slice(start, _reader.Position);
    }

    /// <summary>Moves past the next whole value, checking its structure and the depth limit.</summary>
    public void Skip()
    {
        byte code = NextCode;
        switch (MsgPackCode.ToType(code))
        {
            case MsgPackType.Nil:
            case MsgPackType.Boolean:
                _reader.Advance(1);
                break;
            case MsgPackType.Integer:
                ReadIntegerBits(out _);
                break;
            case MsgPackType.Float:
                ReadDouble();
                break;
            case MsgPackType.String:
                _reader.Advance(ReadStringHeader());
                break;
            case MsgPackType.Binary:
                _reader.Advance(ReadBinaryHeader());
                break;
            case MsgPackType.Extension:
                _reader.Advance(ReadExtensionHeader().Length);
                break;
            case MsgPackType.Array:
                SkipNested(isMap: false);
                break;
            case MsgPackType.Map:
                SkipNested(isMap: true);
                break;
            default:
                throw Error("Invalid format byte 0xc1 (never used by msgpack)");
        }
    }

    // Depth is checked before the header is read, so that a depth error points at the offending array or map.
    private void SkipNested(bool isMap)
    {
        EnterNested();
        long count = isMap ? 2L * ReadMapHeader() : ReadArrayHeader();
        for (long i = 0; i < count; i++)
        {
            Skip();
        }

        LeaveNested();
    }

    private ReadOnlySequence<byte> TakeBody(int length)
    {
        ReadOnlySequence<byte> body = _reader.UnreadSequence.Slice(0, length);
        _reader.Advance(length);
        return body;
    }

    // The next bytes of the input in one span, copied into scratch only when the current segment is too short.
    private readonly ReadOnlySpan<byte> Window(Span<byte> scratch)
    {
        int length = (int)Math.Min(scratch.Length, _reader.Remaining);
        _reader.TryCopyTo(scratch[..length]);
        return scratch[..length];
    }

    private static ReadOnlySpan<byte> CopyTo(in ReadOnlySequence<byte> data, Span<byte> buffer)
    {
        if (data.Length > buffer.Length)
        {
            // Too long to be a timestamp: an empty span makes the decoder report it. (The first segment alone
            // must not be decoded, since it may happen to have a valid timestamp length.)
            return [];
        }

        data.CopyTo(buffer);
        return buffer[..(int)data.Length];
    }

    private void Advance(MsgPackReadStatus status, int bytesRead, string expected)
    {
        if (status != MsgPackReadStatus.Success)
        {
            throw StatusError(status, expected);
        }

        _reader.Advance(bytesRead);
    }

    private int CheckedBody(MsgPackReadStatus status, int headerLength, uint bodyLength, string what)
    {
        if (status != MsgPackReadStatus.Success)
        {
            throw StatusError(status, what);
        }

        long left = _reader.Remaining - headerLength;
        if (bodyLength > left)
        {
            throw TruncatedBodyError(what, bodyLength, left);
        }

        _reader.Advance(headerLength);
        return (int)bodyLength;
    }

    private int CheckedCount(MsgPackReadStatus status, int headerLength, uint count, int bytesPerItem, string what)
    {
        if (status != MsgPackReadStatus.Success)
        {
            throw StatusError(status, what);
        }

        // Every element takes at least one byte, so a count that the remaining input cannot hold is a lie.
        long left = _reader.Remaining - headerLength;
        if (count > _options.MaxCollectionLength || (long)count * bytesPerItem > left || _entriesRead + count > _options.MaxTotalEntries)
        {
            throw CountError(what, count, bytesPerItem, left);
        }

        _entriesRead += count;
        _reader.Advance(headerLength);
        return (int)count;
    }

    // The errors are built out of line: a message interpolated inside a hot method makes the JIT reserve and zero its
    // string builder's stack space on every call, and keeps the method from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static MsgPackException TooLargeError(long length, long limit) =>
        new($"The input is {length} bytes, more than the limit of {limit} bytes", 0);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly MsgPackException DepthError() => Error($"Nesting deeper than the limit of {_options.MaxDepth} levels");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly MsgPackException TruncatedBodyError(string what, uint bodyLength, long left) =>
        Error($"Truncated input: {what} declares {bodyLength} bytes but only {left} remain");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly MsgPackException CountError(string what, uint count, int bytesPerItem, long left)
    {
        if (count > _options.MaxCollectionLength)
        {
            return Error($"{Capitalize(what)} of {count} entries exceeds the limit of {_options.MaxCollectionLength}");
        }

        return (long)count * bytesPerItem > left
            ? Error($"Truncated input: {what} declares {count} entries but only {left} bytes remain")
            : Error($"{Capitalize(what)} of {count} entries takes the input past the limit of {_options.MaxTotalEntries} entries in all");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly MsgPackException StatusError(MsgPackReadStatus status, string expected) => status switch
    {
        MsgPackReadStatus.NeedMoreData => Error($"Unexpected end of input while reading {expected}"),
        MsgPackReadStatus.Overflow => Error($"The value does not fit in {expected}"),
        MsgPackReadStatus.Invalid => Error($"Invalid encoding of {expected}"),
        _ => Error(_reader.End
            ? $"Unexpected end of input: expected {expected}"
            : $"Expected {expected} but found {Describe(NextCode)}"),
    };

    private readonly MsgPackException Error(string message) => new(message, _reader.Consumed);

    private static string Describe(byte code) =>
        code == MsgPackCode.NeverUsed
            ? "the invalid format byte 0xc1"
            : $"{MsgPackCode.ToType(code).ToString().ToLowerInvariant()} (format byte 0x{code:x2})";

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    // The few bytes of a header or scalar that straddles two segments, copied together (as many as the longest one
    // takes; a shorter one reads what it needs). A local struct rather than
    // stackalloc: a method with stackalloc is never inlined and pays a stack cookie on every call, and these are the
    // reader's hottest methods.
    [InlineArray(MsgPackPrimitives.MaxScalarLength)]
    private struct StraddleBytes
    {
        private byte _first;
    }
}
