using System.Buffers;
using Hypha.Protocol.MsgPack;
using Hypha.Protocol.Schemas;

namespace Hypha.Protocol.Tests.Schemas;

/// <summary>
/// Mutated and random binary messages: decoding fails only with <see cref="SchemaFormatException"/>, and never
/// allocates more than the input justifies.
/// </summary>
public sealed class SchemaFuzzTests
{
    private const int Cases = 25_000;

    [Fact]
    public void Mutated_envelopes_decode_or_fail_with_a_format_error_only()
    {
        byte[][] seeds = RpcMethodSamples.Random(64, seed: 21).Select(Encode).ToArray();
        var random = new Random(99);
        int failures = 0;
        for (int i = 0; i < Cases; i++)
        {
            byte[] input = Mutate(seeds[random.Next(seeds.Length)], random);
            var table = new InternReceiveTable();
            var reader = new SchemaReader(input, table);
            try
            {
                SchemaMessage.ReadHeader(ref reader);
                SchemaMessage.ReadBody<RpcMethodV4>(ref reader);
            }
            catch (SchemaFormatException)
            {
                failures++;
            }
        }

        Assert.InRange(failures, Cases / 10, Cases - 1);
    }

    [Fact]
    public void Mutated_hellos_fail_the_same_way_in_the_generated_and_the_runtime_decoder()
    {
        CompiledSchema runtime = SchemaCompiler.Compile(NativeHello.Schema.Definition, NativeHello.Schema.Id);
        byte[] seed = EncodeHello();
        var random = new Random(7);
        for (int i = 0; i < Cases; i++)
        {
            byte[] input = Mutate(seed, random);
            bool generatedOk = Decodes(input, static (ref SchemaReader reader) => SchemaMessage.ReadBody<NativeHello>(ref reader));
            bool runtimeOk = Decodes(input, (ref SchemaReader reader) => runtime.ReadBody(ref reader));
            Assert.Equal(generatedOk, runtimeOk);
        }
    }

    [Fact]
    public void Declared_counts_and_lengths_larger_than_the_input_are_refused_before_allocating()
    {
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            byte[] input = new byte[random.Next(1, 64)];
            random.NextBytes(input);
            input[0] = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            Decodes(input, static (ref SchemaReader reader) => SchemaMessage.ReadBody<NativeHello>(ref reader));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            // The exception and its message cost a few hundred bytes; what is decoded costs a bounded multiple of
            // the input, never what a length in it declares.
            Assert.InRange(allocated, 0, 4096 + (input.Length * 256));
        }
    }

    private delegate void Decode(ref SchemaReader reader);

    private static bool Decodes(byte[] input, Decode decode)
    {
        var reader = new SchemaReader(input);
        try
        {
            decode(ref reader);
            return true;
        }
        catch (SchemaFormatException)
        {
            return false;
        }
    }

    private static byte[] Encode(RpcMethodV4 message)
    {
        var output = new ArrayBufferWriter<byte>();
        var table = new InternSendTable();
        SchemaMessage.Write(output, 0, message, table);
        SchemaMessage.Write(output, 0, message, table);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] EncodeHello()
    {
        var hello = new NativeHello
        {
            Version = [1, 1],
            MaxFrame = 65536,
            MaxMessage = 1 << 26,
            Windows = new NativeWindows { Stream = 1 << 20, Rpc = 4096, Bulk = 1 << 20 },
            HeartbeatMs = 5000,
            Compression = ["lz4", "snappy"],
            Host = "abc",
            Schemas = [new SchemaOffer { Id = "rpc_method_v4", Fingerprint = "0123456789abcdef" }, new SchemaOffer { Id = "x", Fingerprint = "f", Definition = "{}" }],
            Auth = new() { ["client_id"] = RawMsgPack.From("c1"), ["token"] = RawMsgPack.Nil },
        };
        var output = new ArrayBufferWriter<byte>();
        var writer = new SchemaWriter(output);
        NativeHello.Write(ref writer, hello);
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits && bytes.Count > 0; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.RemoveAt(at); break;
                case 3: bytes.Insert(at, (byte)random.Next(256)); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }

        return [.. bytes];
    }
}
