using System.Buffers;
using Hypha.Client.Rpc;

namespace Hypha.Client.Tests.Rpc;

/// <summary>
/// A message that arrives through <c>message_cache</c> is read for its main from its first bytes, and the rest goes from
/// the chunks into the rebuilt frame: never joined on its own first.
/// </summary>
public sealed class ChunkedMessageTests
{
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 1000).Select(i => (byte)(i * 7))];

    [Fact]
    public void The_head_is_the_first_chunk_itself_when_it_holds_it()
    {
        ChunkedMessage message = InChunks(600, 400);

        ReadOnlyMemory<byte> head = message.Head(100);

        Assert.Equal(Bytes[..100], head.ToArray());
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(head, out ArraySegment<byte> segment) && segment.Count == 100 && segment.Array!.Length == 600,
            "a head within the first chunk is a slice of it, not a copy");
    }

    [Theory]
    [InlineData(250)]
    [InlineData(700)]
    [InlineData(5000)]
    public void A_head_across_chunks_is_joined_and_never_longer_than_the_message(int count)
    {
        ChunkedMessage message = InChunks(100, 100, 100, 300, 400);

        Assert.Equal(Bytes[..Math.Min(count, Bytes.Length)], message.Head(count).ToArray());
        Assert.Equal(1000, message.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(100)]
    [InlineData(450)]
    [InlineData(999)]
    [InlineData(1000)]
    public void The_rest_from_any_offset_is_copied_chunk_by_chunk(int offset)
    {
        ChunkedMessage message = InChunks(100, 100, 100, 300, 400);
        var output = new ArrayBufferWriter<byte>();

        message.CopyTo(output, offset);

        Assert.Equal(Bytes[offset..], output.WrittenSpan.ToArray());
    }

    [Fact]
    public void An_incomplete_message_is_refused()
    {
        var message = new ChunkedMessage(maxBytes: 10_000);
        message.Set(0, Bytes[..100]);
        message.Set(2, Bytes[200..300]);

        Assert.Throws<InvalidOperationException>(() => message.Head(10));
        Assert.Throws<InvalidOperationException>(() => message.CopyTo(new ArrayBufferWriter<byte>(), 0));
    }

    private static ChunkedMessage InChunks(params int[] sizes)
    {
        var message = new ChunkedMessage(maxBytes: 10_000);
        int offset = 0;
        foreach (int size in sizes)
        {
            message.Append(Bytes[offset..(offset + size)]);
            offset += size;
        }

        return message;
    }
}
