using System.Buffers;
using System.Text;
using Hypha.Protocol.Buffers;

namespace Hypha.Protocol.MsgPack;

/// <summary>
/// Writes msgpack into an <see cref="IBufferWriter{T}"/>, always in the smallest encoding: str for text,
/// bin for bytes. Small writes go into a span borrowed from the output and are committed in batches,
/// so call <see cref="Flush"/> when done.
/// </summary>
public ref struct MsgPackWriter
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public MsgPackWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Commits every byte written so far to the output. The writer stays usable.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _buffered = 0;
        }

        _span = default;
    }

    /// <summary>Writes nil.</summary>
    public void WriteNil() => Commit(MsgPackPrimitives.TryWriteNil(Reserve(1), out int n), n);

    /// <summary>Writes true or false.</summary>
    public void Write(bool value) => Commit(MsgPackPrimitives.TryWriteBoolean(Reserve(1), value, out int n), n);

    /// <summary>Writes a signed integer in its smallest format.</summary>
    public void Write(long value) =>
        Commit(MsgPackPrimitives.TryWriteInt64(Reserve(MsgPackPrimitives.MaxScalarLength), value, out int n), n);

    /// <summary>Writes an unsigned integer in its smallest format.</summary>
    public void Write(ulong value) =>
        Commit(MsgPackPrimitives.TryWriteUInt64(Reserve(MsgPackPrimitives.MaxScalarLength), value, out int n), n);

    /// <summary>Writes a float 32.</summary>
    public void Write(float value) => Commit(MsgPackPrimitives.TryWriteSingle(Reserve(5), value, out int n), n);

    /// <summary>Writes a float 64.</summary>
    public void Write(double value) => Commit(MsgPackPrimitives.TryWriteDouble(Reserve(9), value, out int n), n);

    /// <summary>Writes a string as str, or nil when it is null.</summary>
    public void Write(string? value)
    {
        if (value is null)
        {
            WriteNil();
            return;
        }

        WriteString(value.AsSpan());
    }

    /// <summary>Writes UTF-16 text as a UTF-8 str.</summary>
    public void WriteString(ReadOnlySpan<char> value)
    {
        int byteCount = Utf8.GetByteCount(value);
        WriteStringHeader(byteCount);
        if (byteCount <= 4096)
        {
            Span<byte> destination = Reserve(byteCount);
            Utf8.GetBytes(value, destination);
            _buffered += byteCount;
            return;
        }

        Flush();
        Utf8.GetBytes(value, _output);
    }

    /// <summary>Writes text that is already UTF-8 as a str.</summary>
    public void WriteString(ReadOnlySpan<byte> utf8)
    {
        WriteStringHeader(utf8.Length);
        WriteRaw(utf8);
    }

    /// <summary>Writes bytes as bin.</summary>
    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteBinaryHeader(value.Length);
        WriteRaw(value);
    }

    /// <summary>Writes bytes held in a sequence as one bin.</summary>
    public void WriteBinary(in ReadOnlySequence<byte> value)
    {
        WriteBinaryHeader(checked((int)value.Length));
        foreach (ReadOnlyMemory<byte> segment in value)
        {
            WriteRaw(segment.Span);
        }
    }

    /// <summary>Writes the header of a str; exactly <paramref name="byteLength"/> raw UTF-8 bytes must follow.</summary>
    public void WriteStringHeader(int byteLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(byteLength);
        Commit(MsgPackPrimitives.TryWriteStringHeader(Reserve(5), (uint)byteLength, out int n), n);
    }

    /// <summary>Writes the header of a bin; exactly <paramref name="length"/> raw bytes must follow.</summary>
    public void WriteBinaryHeader(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Commit(MsgPackPrimitives.TryWriteBinaryHeader(Reserve(5), (uint)length, out int n), n);
    }

    /// <summary>Writes the header of an array; <paramref name="count"/> values must follow.</summary>
    public void WriteArrayHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Commit(MsgPackPrimitives.TryWriteArrayHeader(Reserve(5), (uint)count, out int n), n);
    }

    /// <summary>Writes the header of a map; <paramref name="count"/> key/value pairs must follow.</summary>
    public void WriteMapHeader(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Commit(MsgPackPrimitives.TryWriteMapHeader(Reserve(5), (uint)count, out int n), n);
    }

    /// <summary>Writes an extension header; <see cref="ExtensionHeader.Length"/> raw bytes must follow.</summary>
    public void WriteExtensionHeader(ExtensionHeader header) =>
        Commit(MsgPackPrimitives.TryWriteExtensionHeader(Reserve(MsgPackPrimitives.MaxHeaderLength), header, out int n), n);

    /// <summary>Writes a whole extension value.</summary>
    public void WriteExtension(sbyte typeCode, ReadOnlySpan<byte> data)
    {
        WriteExtensionHeader(new ExtensionHeader(typeCode, (uint)data.Length));
        WriteRaw(data);
    }

    /// <summary>Writes a timestamp extension in its smallest form.</summary>
    public void Write(MsgPackTimestamp value) =>
        Commit(MsgPackPrimitives.TryWriteTimestamp(Reserve(15), value, out int n), n);

    /// <summary>Writes a <see cref="DateTime"/> as a timestamp extension (converted to UTC).</summary>
    public void Write(DateTime value) => Write(MsgPackTimestamp.FromDateTime(value));

    /// <summary>Copies bytes that are already msgpack (or the body of a str, bin or ext) to the output.</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 4096)
        {
            // In one piece where the output can grow to hold it: pieces of 4 KiB would double a pooled buffer again and again.
            Flush();
            PooledBufferWriter.Append(_output, bytes);
            return;
        }

        while (!bytes.IsEmpty)
        {
            Span<byte> destination = Reserve(Math.Min(bytes.Length, 4096), exact: false);
            int count = Math.Min(destination.Length, bytes.Length);
            bytes[..count].CopyTo(destination);
            _buffered += count;
            bytes = bytes[count..];
        }
    }

    /// <summary>Copies every segment of <paramref name="bytes"/> to the output.</summary>
    public void WriteRaw(in ReadOnlySequence<byte> bytes)
    {
        foreach (ReadOnlyMemory<byte> segment in bytes)
        {
            WriteRaw(segment.Span);
        }
    }

    // Returns the free part of the borrowed span, fetching a new one when fewer than sizeHint bytes are left.
    // With exact: false any non-empty span will do, so large copies proceed in whatever pieces the output offers.
    private Span<byte> Reserve(int sizeHint, bool exact = true)
    {
        int free = _span.Length - _buffered;
        if (free < sizeHint && (exact || free == 0))
        {
            Flush();
            _span = _output.GetSpan(sizeHint);
        }

        return _span[_buffered..];
    }

    private void Commit(bool written, int bytesWritten)
    {
        if (!written)
        {
            throw new InvalidOperationException("The output returned a span shorter than it was asked for.");
        }

        _buffered += bytesWritten;
    }
}
