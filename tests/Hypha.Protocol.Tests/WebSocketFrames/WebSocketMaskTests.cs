using Hypha.Protocol.WebSocketFrames;

namespace Hypha.Protocol.Tests.WebSocketFrames;

public sealed class WebSocketMaskTests
{
    [Fact]
    public void Masking_matches_the_definition_at_every_length_and_offset()
    {
        var random = new Random(6455);
        byte[] key = [0x37, 0xfa, 0x21, 0x3d];
        uint keyValue = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(key);
        for (int length = 0; length < 80; length++)
        {
            for (int offset = 0; offset < 8; offset++)
            {
                byte[] data = new byte[length];
                random.NextBytes(data);
                byte[] masked = new byte[length];
                WebSocketMask.Apply(data, masked, keyValue, offset);
                for (int i = 0; i < length; i++)
                {
                    Assert.Equal((byte)(data[i] ^ key[(offset + i) % 4]), masked[i]);
                }
            }
        }
    }

    [Fact]
    public void A_payload_unmasked_in_pieces_equals_one_unmasked_whole()
    {
        var random = new Random(13);
        byte[] data = new byte[1000];
        random.NextBytes(data);
        byte[] whole = new byte[data.Length];
        WebSocketMask.Apply(data, whole, 0xdeadbeef, 0);

        byte[] pieces = data.ToArray();
        int at = 0;
        while (at < pieces.Length)
        {
            int length = Math.Min(random.Next(1, 40), pieces.Length - at);
            WebSocketMask.Apply(pieces.AsSpan(at, length), pieces.AsSpan(at, length), 0xdeadbeef, at);
            at += length;
        }

        Assert.Equal(whole, pieces);
        WebSocketMask.Apply(whole, whole, 0xdeadbeef, 0);
        Assert.Equal(data, whole);
    }
}
