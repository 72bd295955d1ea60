using System.Buffers.Binary;
using Hypha.Protocol.Native;

namespace Hypha.Transport.SharedMemory;

/// <summary>
/// The first page of every segment file (docs/wire-format.md §9.1): a magic, the generation of the payload the
/// segment holds now, the data capacity, and the owner's pid. A reference whose generation differs is stale.
/// </summary>
internal static class SegmentHeader
{
    private const ulong Magic = 0x314D485348505948; // "HYPHSHM1" little-endian

    /// <summary>Writes a new segment's header.</summary>
    public static void Initialize(Span<byte> header, long capacity)
    {
        header[..SharedMemoryReference.HeaderSize].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(header, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], capacity);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], Environment.ProcessId);
    }

    /// <summary>Records the generation of the payload the segment now holds.</summary>
    public static void SetGeneration(Span<byte> header, ulong generation) =>
        BinaryPrimitives.WriteUInt64LittleEndian(header[8..], generation);

    /// <summary>Checks that a mapped file is a segment and holds <paramref name="reference"/>'s generation.</summary>
    /// <exception cref="SharedMemoryException">Not a segment, or another generation.</exception>
    public static void Check(ReadOnlySpan<byte> header, SharedMemoryReference reference)
    {
        if (BinaryPrimitives.ReadUInt64LittleEndian(header) != Magic)
        {
            throw new SharedMemoryException($"{reference.Segment} is not a shared-memory segment.");
        }

        ulong generation = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        if (generation != reference.Generation)
        {
            throw new SharedMemoryException(
                $"The reference to {reference.Segment} is stale: generation {reference.Generation}, the segment now holds {generation}.");
        }
    }
}
