using System.Buffers.Binary;
using System.Text;

namespace Hypha.Protocol.Native;

/// <summary>
/// The payload of a message flagged SHM_REF (docs/wire-format.md §9.2): the message's head inline, then the
/// references to its large payloads in shared memory, which the head marks with placeholders (§9.3). All integers
/// little-endian: <c>u32</c> head length, the head, <c>u16</c> reference count, then per reference <c>u8</c> name
/// length, the name (ASCII), <c>u64</c> offset, <c>u64</c> length, <c>u64</c> generation.
/// </summary>
public static class SharedMemoryMessage
{
    /// <summary>The most references one message may carry.</summary>
    public const int MaxReferences = 1024;

    private const int FixedPerReference = 1 + 8 + 8 + 8;

    /// <summary>Encodes a head and its references.</summary>
    /// <exception cref="ArgumentException">No reference, too many, or an invalid one.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> head, IReadOnlyList<SharedMemoryReference> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count is 0 or > MaxReferences)
        {
            throw new ArgumentException($"A SHM_REF message carries 1 to {MaxReferences} references, not {references.Count}.", nameof(references));
        }

        int size = 4 + head.Length + 2 + references.Sum(r => FixedPerReference + r.Segment.Length);
        byte[] body = new byte[size];
        Span<byte> span = body;
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)head.Length);
        head.CopyTo(span[4..]);
        int at = 4 + head.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)references.Count);
        at += 2;
        foreach (SharedMemoryReference reference in references)
        {
            if (!SharedMemoryReference.IsSegmentName(reference.Segment) || reference.Offset < SharedMemoryReference.HeaderSize || reference.Length <= 0)
            {
                throw new ArgumentException($"Invalid reference {reference}.", nameof(references));
            }

            span[at++] = (byte)reference.Segment.Length;
            at += Encoding.ASCII.GetBytes(reference.Segment, span[at..]);
            BinaryPrimitives.WriteInt64LittleEndian(span[at..], reference.Offset);
            BinaryPrimitives.WriteInt64LittleEndian(span[(at + 8)..], reference.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(span[(at + 16)..], reference.Generation);
            at += 24;
        }

        return body;
    }

    /// <summary>Decodes a SHM_REF payload: the head (a slice of <paramref name="body"/>) and the references.</summary>
    /// <exception cref="NativeProtocolException">Truncated, trailing bytes, no reference or too many, a bad name, offset or length.</exception>
    public static (ReadOnlyMemory<byte> Head, SharedMemoryReference[] References) Decode(ReadOnlyMemory<byte> body)
    {
        ReadOnlySpan<byte> span = body.Span;
        if (span.Length < 6)
        {
            throw Malformed("it is shorter than its fixed fields");
        }

        uint headLength = BinaryPrimitives.ReadUInt32LittleEndian(span);
        if (headLength > (uint)(span.Length - 6))
        {
            throw Malformed($"its head of {headLength} bytes runs past the end");
        }

        int at = 4 + (int)headLength;
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
        at += 2;
        if (count is 0 or > MaxReferences)
        {
            throw Malformed($"it carries {count} references (1 to {MaxReferences} allowed)");
        }

        var references = new SharedMemoryReference[count];
        for (int i = 0; i < count; i++)
        {
            if (at >= span.Length || span.Length - at - 1 < span[at] + 24)
            {
                throw Malformed($"reference {i} is truncated");
            }

            int nameLength = span[at++];
            string name = Encoding.ASCII.GetString(span.Slice(at, nameLength));
            at += nameLength;
            long offset = BinaryPrimitives.ReadInt64LittleEndian(span[at..]);
            long length = BinaryPrimitives.ReadInt64LittleEndian(span[(at + 8)..]);
            ulong generation = BinaryPrimitives.ReadUInt64LittleEndian(span[(at + 16)..]);
            at += 24;
            if (!SharedMemoryReference.IsSegmentName(name) || offset < SharedMemoryReference.HeaderSize || length is <= 0 or > int.MaxValue
                || offset > long.MaxValue - length)
            {
                throw Malformed($"reference {i} ({name}, offset {offset}, length {length}) is invalid");
            }

            references[i] = new SharedMemoryReference(name, offset, (int)length, generation);
        }

        return at == span.Length ? (body.Slice(4, (int)headLength), references) : throw Malformed($"{span.Length - at} bytes follow the last reference");
    }

    private static NativeProtocolException Malformed(string why) =>
        new(NativeErrorCode.ProtocolError, $"A SHM_REF message is malformed: {why}");
}
