using System.Buffers;

namespace Hypha.Protocol.Tests.MsgPack;

/// <summary>One link of a hand-built multi-segment <see cref="ReadOnlySequence{T}"/>.</summary>
internal sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    public TestSegment(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public TestSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new TestSegment(memory, RunningIndex + Memory.Length);
        Next = next;
        return next;
    }
}

/// <summary>Builds sequences that split a buffer into several segments, each backed by its own array.</summary>
internal static class TestSequences
{
    /// <summary>A sequence made of the given pieces, in order; each piece is copied into its own array.</summary>
    public static ReadOnlySequence<byte> FromPieces(IReadOnlyList<byte[]> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new TestSegment(pieces[0].ToArray(), 0);
        TestSegment last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            last = last.Append(pieces[i].ToArray());
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Splits <paramref name="data"/> at the given ascending offsets (an offset may repeat: empty segment).</summary>
    public static ReadOnlySequence<byte> SplitAt(byte[] data, params int[] offsets)
    {
        var pieces = new List<byte[]>();
        int start = 0;
        foreach (int offset in offsets)
        {
            pieces.Add(data[start..offset]);
            start = offset;
        }

        pieces.Add(data[start..]);
        return FromPieces(pieces);
    }

    /// <summary>One segment per byte; with <paramref name="withEmptySegments"/>, an empty segment between each.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data, bool withEmptySegments = false)
    {
        var pieces = new List<byte[]>();
        if (withEmptySegments)
        {
            pieces.Add([]);
        }

        foreach (byte b in data)
        {
            pieces.Add([b]);
            if (withEmptySegments)
            {
                pieces.Add([]);
            }
        }

        return FromPieces(pieces.Count == 0 ? [[]] : pieces);
    }

    /// <summary>Every two-segment split of <paramref name="data"/> (cut at 0..Length), then the one-byte split.</summary>
    public static IEnumerable<(string Name, ReadOnlySequence<byte> Sequence)> AllSplits(byte[] data)
    {
        for (int cut = 0; cut <= data.Length; cut++)
        {
            yield return ($"cut at {cut}", SplitAt(data, cut));
        }

        yield return ("one byte per segment", OneBytePerSegment(data));
        yield return ("one byte per segment with empty segments", OneBytePerSegment(data, withEmptySegments: true));
    }
}
